from django.urls import path

from coursework import views

app_name = "coursework"

urlpatterns = [
    # Role home pages
    path("student/", views.student_home, name="student_home"),
    path("teaching/", views.instructor_home, name="instructor_home"),
    path("department/", views.department_home, name="department_home"),
    # courses/<pk>/
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:course_pk>/tasks/<int:pk>/", views.task_detail, name="task_detail"),
]
