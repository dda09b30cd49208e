from django.urls import path

from caseplans.views import cases, plan

app_name = "caseplans"

urlpatterns = [
    # courses/<course>/cases/: the course's case vignettes (instructors)
    path("courses/<id:course_pk>/cases/", cases.vignette_list, name="vignettes"),
    path("courses/<id:course_pk>/cases/new/", cases.vignette_create, name="vignette_create"),
    path("courses/<id:course_pk>/cases/examples/", cases.vignette_examples, name="vignette_examples"),
    path("courses/<id:course_pk>/cases/<id:pk>/edit/", cases.vignette_edit, name="vignette_edit"),
    path("courses/<id:course_pk>/cases/<id:pk>/delete/", cases.vignette_delete, name="vignette_delete"),
    # courses/<course>/tasks/<task>/cases/: who plans on which case (instructors)
    path("courses/<id:course_pk>/tasks/<id:pk>/cases/", cases.assignments, name="assignments"),
    path("courses/<id:course_pk>/tasks/<id:pk>/cases/hand-out/", cases.hand_out, name="hand_out"),
    path("courses/<id:course_pk>/tasks/<id:pk>/cases/assign/", cases.assign, name="assign"),
    # courses/<course>/tasks/<task>/plan/: the student's plan
    path("courses/<id:course_pk>/tasks/<id:pk>/plan/", plan.plan_edit, name="plan_edit"),
    path("courses/<id:course_pk>/tasks/<id:pk>/plan/save/", plan.plan_save, name="plan_save"),
    path("courses/<id:course_pk>/tasks/<id:pk>/plan/submit/", plan.plan_submit, name="plan_submit"),
    path("courses/<id:course_pk>/tasks/<id:pk>/plan/organisations/", plan.organisations, name="organisations"),
]
