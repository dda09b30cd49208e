from django.urls import path

from caseplans.views import cases, plan

app_name = "caseplans"

urlpatterns = [
    # courses/<course>/cases/: the course's case vignettes (instructors)
    path("courses/<int:course_pk>/cases/", cases.vignette_list, name="vignettes"),
    path("courses/<int:course_pk>/cases/new/", cases.vignette_create, name="vignette_create"),
    path("courses/<int:course_pk>/cases/examples/", cases.vignette_examples, name="vignette_examples"),
    path("courses/<int:course_pk>/cases/<int:pk>/edit/", cases.vignette_edit, name="vignette_edit"),
    path("courses/<int:course_pk>/cases/<int:pk>/delete/", cases.vignette_delete, name="vignette_delete"),
    # courses/<course>/tasks/<task>/cases/: who plans on which case (instructors)
    path("courses/<int:course_pk>/tasks/<int:pk>/cases/", cases.assignments, name="assignments"),
    path("courses/<int:course_pk>/tasks/<int:pk>/cases/hand-out/", cases.hand_out, name="hand_out"),
    path("courses/<int:course_pk>/tasks/<int:pk>/cases/assign/", cases.assign, name="assign"),
    # courses/<course>/tasks/<task>/plan/: the student's plan
    path("courses/<int:course_pk>/tasks/<int:pk>/plan/", plan.plan_edit, name="plan_edit"),
    path("courses/<int:course_pk>/tasks/<int:pk>/plan/save/", plan.plan_save, name="plan_save"),
    path("courses/<int:course_pk>/tasks/<int:pk>/plan/submit/", plan.plan_submit, name="plan_submit"),
    path("courses/<int:course_pk>/tasks/<int:pk>/plan/organisations/", plan.organisations, name="organisations"),
]
