from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    # directory/
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    # directory/<entry>/
    path("<id:pk>/", views.entry, name="entry"),
    path("<id:pk>/hide/", views.entry_hide, name="entry_hide"),
    path("<id:pk>/show/", views.entry_show, name="entry_show"),
    # directory/institution/<course>/<task>/: the institution of a student's report
    path("institution/<id:course_pk>/<id:pk>/choose/", views.institution_choose, name="institution_choose"),
    path("institution/<id:course_pk>/<id:pk>/add/", views.institution_add, name="institution_add"),
]
