from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    # courses/<course>/tasks/<task>/: the student's draft and hand-in
    path("courses/<int:course_pk>/tasks/<int:pk>/draft/files/", views.draft_upload, name="draft_upload"),
    path(
        "courses/<int:course_pk>/tasks/<int:pk>/draft/files/<int:file_pk>/remove/",
        views.draft_file_remove,
        name="draft_file_remove",
    ),
    path("courses/<int:course_pk>/tasks/<int:pk>/submit/", views.draft_submit, name="draft_submit"),
    # courses/<course>/tasks/<task>/queue/: the staff's queue, bulk download, deadlines
    path("courses/<int:course_pk>/tasks/<int:pk>/queue/", views.queue, name="queue"),
    path("courses/<int:course_pk>/tasks/<int:pk>/queue/download/", views.queue_zip, name="queue_zip"),
    path("courses/<int:course_pk>/tasks/<int:pk>/deadline/", views.deadline_update, name="deadline_update"),
    path("courses/<int:course_pk>/tasks/<int:pk>/extensions/", views.extension_grant, name="extension_grant"),
    # courses/<course>/portfolio/: the student's whole portfolio
    path("courses/<int:course_pk>/portfolio/", views.student_portfolio, name="student_portfolio"),
    path("courses/<int:course_pk>/portfolio/download/", views.student_portfolio_zip, name="student_portfolio_zip"),
    # submissions/ and files/: one student's work, and every file download
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
]
