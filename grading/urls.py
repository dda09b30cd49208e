from django.urls import path

from grading.views import (
    bands,
    courses,
    department,
    exports,
    gradebook,
    grades,
    letter_scale,
    queue,
    review,
    rubrics,
    tasks,
)

app_name = "grading"

urlpatterns = [
    # Role home pages
    path("student/", courses.student_home, name="student_home"),
    path("teaching/", courses.instructor_home, name="instructor_home"),
    path("department/", department.department_home, name="department_home"),
    # courses/<course>/: the schedule, a task, the student's portfolio
    path("courses/<id:pk>/", courses.course_detail, name="course_detail"),
    path("courses/<id:course_pk>/tasks/<id:pk>/", courses.task_detail, name="task_detail"),
    path("courses/<id:course_pk>/portfolio/", courses.student_portfolio, name="student_portfolio"),
    # courses/<course>/tasks/<task>/: the staff's queue, deadline, extensions, release, rubric
    path("courses/<id:course_pk>/tasks/<id:pk>/queue/", queue.queue, name="queue"),
    path("courses/<id:course_pk>/tasks/<id:pk>/deadline/", queue.deadline_update, name="deadline_update"),
    path("courses/<id:course_pk>/tasks/<id:pk>/extensions/", queue.extension_grant, name="extension_grant"),
    path("courses/<id:course_pk>/tasks/<id:pk>/release/", grades.task_release_all, name="task_release_all"),
    path("courses/<id:course_pk>/tasks/<id:pk>/rubric/", rubrics.task_rubric, name="task_rubric"),
    # courses/<course>/tasks/…: the task editor (add, edit, reorder, hide, show, delete)
    path("courses/<id:course_pk>/tasks/", tasks.task_editor, name="task_editor"),
    path("courses/<id:course_pk>/tasks/new/", tasks.task_create, name="task_create"),
    path("courses/<id:course_pk>/tasks/<id:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("courses/<id:course_pk>/tasks/<id:pk>/move/", tasks.task_move, name="task_move"),
    path("courses/<id:course_pk>/tasks/<id:pk>/hide/", tasks.task_hide, name="task_hide"),
    path("courses/<id:course_pk>/tasks/<id:pk>/show/", tasks.task_show, name="task_show"),
    path("courses/<id:course_pk>/tasks/<id:pk>/delete/", tasks.task_delete, name="task_delete"),
    # submissions/<pk>/grade/, review/ and grades/: the grading page, the read-only review, release, feedback PDF
    path("submissions/<id:pk>/grade/", grades.grade_page, name="grade"),
    path("submissions/<id:pk>/review/", review.grade_review, name="grade_review"),
    path("grades/<id:pk>/release/", grades.grade_release, name="release"),
    path("grades/<id:pk>/feedback.pdf", exports.feedback_pdf, name="feedback_pdf"),
    # courses/<course>/gradebook/: the gradebook, control scores, formula, lock, unlock and sign-off, exports
    path("courses/<id:course_pk>/gradebook/", gradebook.gradebook, name="gradebook"),
    path("courses/<id:course_pk>/gradebook/controls/", gradebook.control_scores, name="control_scores"),
    path("courses/<id:course_pk>/gradebook/formula/", gradebook.assessment_update, name="assessment_update"),
    path("courses/<id:course_pk>/gradebook/lock/", gradebook.lock_create, name="lock_create"),
    path("courses/<id:course_pk>/gradebook/locks/<id:pk>/unlock/", gradebook.lock_unlock, name="lock_unlock"),
    path("courses/<id:course_pk>/gradebook/sign-off/", gradebook.sign_off, name="sign_off"),
    path("courses/<id:course_pk>/gradebook/gradebook.xlsx", exports.gradebook_xlsx, name="gradebook_xlsx"),
    path("courses/<id:course_pk>/gradebook/gradebook.pdf", exports.gradebook_pdf, name="gradebook_pdf"),
    path(
        "courses/<id:course_pk>/gradebook/students/<id:student_pk>/record.pdf",
        exports.student_record_pdf,
        name="student_record_pdf",
    ),
    # department/letter-scale/: the department's national letter scale
    path("department/letter-scale/", letter_scale.letter_scale, name="letter_scale"),
    # rubrics/: the rubric editor
    path("rubrics/", rubrics.rubric_list, name="rubric_list"),
    path("rubrics/new/", rubrics.rubric_create, name="rubric_create"),
    path("rubrics/<id:pk>/", rubrics.rubric_detail, name="rubric_detail"),
    path("rubrics/<id:pk>/edit/", rubrics.rubric_edit, name="rubric_edit"),
    path("rubrics/<id:pk>/copy/", rubrics.rubric_copy, name="rubric_copy"),
    path("rubrics/<id:pk>/bands/", bands.rubric_bands, name="rubric_bands"),
]
