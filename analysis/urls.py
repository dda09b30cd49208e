from django.urls import path

from analysis.views import builder

app_name = "analysis"

urlpatterns = [
    # courses/<course>/tasks/<task>/comparison/: the student's comparison, SWOT, references and report
    path("courses/<int:course_pk>/tasks/<int:pk>/comparison/", builder.analysis_edit, name="edit"),
    path("courses/<int:course_pk>/tasks/<int:pk>/comparison/save/", builder.analysis_save, name="save"),
    path("courses/<int:course_pk>/tasks/<int:pk>/comparison/submit/", builder.analysis_submit, name="submit"),
    path("courses/<int:course_pk>/tasks/<int:pk>/comparison/report/", builder.report_upload, name="report_upload"),
    path(
        "courses/<int:course_pk>/tasks/<int:pk>/comparison/report/<int:file_pk>/remove/",
        builder.report_remove,
        name="report_remove",
    ),
]
