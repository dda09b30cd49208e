from django.urls import path

from analysis.views import builder

app_name = "analysis"

urlpatterns = [
    # courses/<course>/tasks/<task>/comparison/: the student's comparison, SWOT, references and report
    path("courses/<id:course_pk>/tasks/<id:pk>/comparison/", builder.analysis_edit, name="edit"),
    path("courses/<id:course_pk>/tasks/<id:pk>/comparison/save/", builder.analysis_save, name="save"),
    path("courses/<id:course_pk>/tasks/<id:pk>/comparison/submit/", builder.analysis_submit, name="submit"),
    path("courses/<id:course_pk>/tasks/<id:pk>/comparison/report/", builder.report_upload, name="report_upload"),
    path(
        "courses/<id:course_pk>/tasks/<id:pk>/comparison/report/<id:file_pk>/remove/",
        builder.report_remove,
        name="report_remove",
    ),
]
