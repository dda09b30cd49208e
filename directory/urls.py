from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    # directory/
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    # directory/<entry>/
    path("<int:pk>/", views.entry, name="entry"),
    path("<int:pk>/hide/", views.entry_hide, name="entry_hide"),
    path("<int:pk>/show/", views.entry_show, name="entry_show"),
    # directory/institution/<course>/<task>/: the institution of a student's report
    path("institution/<int:course_pk>/<int:pk>/choose/", views.institution_choose, name="institution_choose"),
    path("institution/<int:course_pk>/<int:pk>/add/", views.institution_add, name="institution_add"),
]
