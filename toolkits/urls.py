from django.urls import path

from toolkits.views import builder

app_name = "toolkits"

urlpatterns = [
    # courses/<course>/tasks/<task>/toolkit/: the student's assessment toolkit, its blank forms and the presentation
    path("courses/<id:course_pk>/tasks/<id:pk>/toolkit/", builder.toolkit_edit, name="edit"),
    path("courses/<id:course_pk>/tasks/<id:pk>/toolkit/save/", builder.toolkit_save, name="save"),
    path("courses/<id:course_pk>/tasks/<id:pk>/toolkit/submit/", builder.toolkit_submit, name="submit"),
    path("courses/<id:course_pk>/tasks/<id:pk>/toolkit/forms.pdf", builder.forms_pdf, name="forms_pdf"),
    path(
        "courses/<id:course_pk>/tasks/<id:pk>/toolkit/presentation/",
        builder.presentation_upload,
        name="presentation_upload",
    ),
    path(
        "courses/<id:course_pk>/tasks/<id:pk>/toolkit/presentation/<id:file_pk>/remove/",
        builder.presentation_remove,
        name="presentation_remove",
    ),
]
