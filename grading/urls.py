from django.urls import path

from grading import exports, gradebook_views, pdf, rubric_views, scale_views, views

app_name = "grading"

urlpatterns = [
    # submissions/<pk>/grade/: the grading page
    path("submissions/<int:pk>/grade/", views.grade_page, name="grade"),
    path("grades/<int:pk>/release/", views.grade_release, name="release"),
    path("grades/<int:pk>/feedback.pdf", pdf.feedback_pdf, name="feedback_pdf"),
    path("courses/<int:course_pk>/tasks/<int:pk>/release/", views.task_release_all, name="task_release_all"),
    path("courses/<int:course_pk>/tasks/<int:pk>/rubric/", rubric_views.task_rubric, name="task_rubric"),
    # courses/<course>/gradebook/: the gradebook, control scores, formula, lock and sign-off
    path("courses/<int:course_pk>/gradebook/", gradebook_views.gradebook, name="gradebook"),
    path("courses/<int:course_pk>/gradebook/controls/", gradebook_views.control_scores, name="control_scores"),
    path("courses/<int:course_pk>/gradebook/formula/", gradebook_views.assessment_update, name="assessment_update"),
    path("courses/<int:course_pk>/gradebook/lock/", gradebook_views.lock_create, name="lock_create"),
    path("courses/<int:course_pk>/gradebook/sign-off/", gradebook_views.sign_off, name="sign_off"),
    path("courses/<int:course_pk>/gradebook/gradebook.xlsx", exports.gradebook_xlsx, name="gradebook_xlsx"),
    path("courses/<int:course_pk>/gradebook/gradebook.pdf", exports.gradebook_pdf, name="gradebook_pdf"),
    path(
        "courses/<int:course_pk>/gradebook/students/<int:student_pk>/record.pdf",
        exports.student_record_pdf,
        name="student_record_pdf",
    ),
    # department/letter-scale/: the department's national letter scale
    path("department/letter-scale/", scale_views.letter_scale, name="letter_scale"),
    # rubrics/: the rubric editor
    path("rubrics/", rubric_views.rubric_list, name="rubric_list"),
    path("rubrics/new/", rubric_views.rubric_create, name="rubric_create"),
    path("rubrics/<int:pk>/", rubric_views.rubric_detail, name="rubric_detail"),
    path("rubrics/<int:pk>/edit/", rubric_views.rubric_edit, name="rubric_edit"),
    path("rubrics/<int:pk>/copy/", rubric_views.rubric_copy, name="rubric_copy"),
]
