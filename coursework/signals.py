"""What coursework tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent by ``coursework.services.courses.course_copy`` inside its transaction, with ``source`` and ``copy`` (the
# new course): an app above copies what it keeps of a course for itself.
course_copied = Signal()
