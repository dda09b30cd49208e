from django.urls import path

from toolkits.views import builder

app_name = "toolkits"

urlpatterns = [
    # courses/<course>/tasks/<task>/toolkit/: the student's assessment toolkit, its blank forms and the presentation
    path("courses/<int:course_pk>/tasks/<int:pk>/toolkit/", builder.toolkit_edit, name="edit"),
    path("courses/<int:course_pk>/tasks/<int:pk>/toolkit/save/", builder.toolkit_save, name="save"),
    path("courses/<int:course_pk>/tasks/<int:pk>/toolkit/submit/", builder.toolkit_submit, name="submit"),
    path("courses/<int:course_pk>/tasks/<int:pk>/toolkit/forms.pdf", builder.forms_pdf, name="forms_pdf"),
    path(
        "courses/<int:course_pk>/tasks/<int:pk>/toolkit/presentation/",
        builder.presentation_upload,
        name="presentation_upload",
    ),
    path(
        "courses/<int:course_pk>/tasks/<int:pk>/toolkit/presentation/<int:file_pk>/remove/",
        builder.presentation_remove,
        name="presentation_remove",
    ),
]
