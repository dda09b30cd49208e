from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("courses/<id:course_pk>/gradebook/export/<slug:kind>/", views.course_export, name="course_export"),
    path("department/export/<slug:kind>/", views.department_export, name="department_export"),
    path("courses/<id:course_pk>/tasks/<id:pk>/feedback/export/", views.feedback_export, name="feedback_export"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/status/", views.job_status, name="status"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="download"),
]
