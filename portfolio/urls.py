from django.urls import path

from portfolio.views import downloads, hand_in, repository, submissions

app_name = "portfolio"

urlpatterns = [
    # courses/<course>/tasks/<task>/: the student's draft and hand-in, the service repository's template
    path("courses/<id:course_pk>/tasks/<id:pk>/draft/files/", hand_in.draft_upload, name="draft_upload"),
    path(
        "courses/<id:course_pk>/tasks/<id:pk>/draft/files/<id:file_pk>/remove/",
        hand_in.draft_file_remove,
        name="draft_file_remove",
    ),
    path("courses/<id:course_pk>/tasks/<id:pk>/submit/", hand_in.draft_submit, name="draft_submit"),
    path(
        "courses/<id:course_pk>/tasks/<id:pk>/repository-template.xlsx",
        repository.repository_template,
        name="repository_template",
    ),
    # courses/<course>/…/download/: a task's latest versions, a student's whole portfolio
    path("courses/<id:course_pk>/tasks/<id:pk>/queue/download/", downloads.queue_zip, name="queue_zip"),
    path("courses/<id:course_pk>/portfolio/download/", downloads.student_portfolio_zip, name="student_portfolio_zip"),
    # submissions/ and files/: one student's work, and every file download
    path("submissions/<id:pk>/", submissions.submission_detail, name="submission_detail"),
    path("files/<id:pk>/", downloads.file_download, name="file_download"),
]
