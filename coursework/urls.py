app_name = "coursework"

# Each section belongs to one views module; add its paths to its own section only.
urlpatterns = [
    # department/courses/ and courses/<course>/edit|copy: the department admin's course set-up (views.courses)
    # courses/<course>/reading-list/: the course document's reading list and provenance (views.readings)
    # courses/<course>/roster/: the roster and its imports (views.rosters)
    # courses/<course>/tasks/<task>/slots/ and slots/: consultation and defence slots, bookings, .ics (views.slots)
]
