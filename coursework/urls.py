from django.urls import path

from coursework.views import courses, readings, rosters, slots

app_name = "coursework"

# Each section belongs to one views module; add its paths to its own section only.
urlpatterns = [
    # department/courses/ and courses/<course>/edit|copy: the department admin's course set-up (views.courses)
    path("department/courses/new/", courses.course_create, name="course_create"),
    path("courses/<id:pk>/edit/", courses.course_edit, name="course_edit"),
    path("courses/<id:pk>/copy/", courses.course_copy, name="course_copy"),
    # courses/<course>/reading-list/: the course document's reading list and provenance (views.readings)
    path("courses/<id:pk>/reading-list/", readings.reading_list, name="reading_list"),
    # courses/<course>/roster/: the roster and its imports (views.rosters)
    path("courses/<id:course_pk>/roster/", rosters.roster, name="roster"),
    path("courses/<id:course_pk>/roster/template.xlsx", rosters.roster_template, name="roster_template"),
    path("courses/<id:course_pk>/roster/imports/<id:pk>/", rosters.roster_import, name="roster_import"),
    path(
        "courses/<id:course_pk>/roster/students/<id:student_pk>/link/",
        rosters.roster_link_send,
        name="roster_link_send",
    ),
    path(
        "courses/<id:course_pk>/roster/imports/<id:pk>/apply/",
        rosters.roster_import_apply,
        name="roster_import_apply",
    ),
    # courses/<course>/tasks/<task>/slots/ and slots/: consultation and defence slots, bookings, .ics (views.slots)
    path("courses/<id:course_pk>/tasks/<id:pk>/slots/", slots.slots, name="slots"),
    path("courses/<id:course_pk>/tasks/<id:pk>/slots/publish/", slots.slot_publish, name="slot_publish"),
    path("courses/<id:course_pk>/slots/<id:pk>/delete/", slots.slot_delete, name="slot_delete"),
    path("courses/<id:course_pk>/slots/<id:pk>/attendance/", slots.slot_attendance, name="slot_attendance"),
    path("courses/<id:course_pk>/slots/<id:pk>/book/", slots.slot_book, name="slot_book"),
    path("courses/<id:course_pk>/bookings/<id:pk>/cancel/", slots.booking_cancel, name="booking_cancel"),
    path("courses/<id:course_pk>/slots.ics", slots.slots_ics, name="slots_ics"),
]
