"""Downloads of the gradebook and of grades: Excel and PDF for a course or group, a student's record, feedback.

The gradebook page asks for its files through jobs (``jobs.views``), which show progress; the gradebook's addresses
here answer in the request, for a link or a script that wants the file itself."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from config.responses import private_download
from coursework.access import course_for_staff, enrollment_for_record
from grading.access import grade_for_viewer
from grading.documents.feedback import feedback_filename, feedback_pdf_bytes
from grading.documents.grade_sheet import grade_sheet_pdf
from grading.documents.gradebook import (
    XLSX_CONTENT_TYPE,
    gradebook_filename,
    student_record_filename,
    student_record_pdf_bytes,
    workbook_bytes,
)
from grading.selectors.gradebook import build_gradebook


def _download(content, content_type, filename):
    return private_download(HttpResponse(content, content_type=content_type), filename=filename)


def _staff_book(request, course_pk):
    course = course_for_staff(request.user, course_pk)
    group = request.GET.get("group") or None
    book = build_gradebook(course, include_drafts=True, group=group, sort="group")
    return course, group, book


@require_GET
@login_required
def gradebook_xlsx(request, course_pk):
    """The course's gradebook (or one group's) as an Excel workbook, for the course's staff."""
    course, group, book = _staff_book(request, course_pk)
    content = workbook_bytes(book, language=translation.get_language())
    return _download(content, XLSX_CONTENT_TYPE, gradebook_filename(course, group, ".xlsx"))


@require_GET
@login_required
def gradebook_pdf(request, course_pk):
    """The course's grade sheet (or one group's) as PDF, for the course's staff."""
    course, group, book = _staff_book(request, course_pk)
    content = grade_sheet_pdf(book, language=translation.get_language())
    return _download(content, "application/pdf", gradebook_filename(course, group, ".pdf"))


@require_GET
@login_required
def student_record_pdf(request, course_pk, student_pk):
    """One student's course record: for the course's staff, and for the student themself (released grades)."""
    enrollment = enrollment_for_record(request.user, course_pk, student_pk)
    content = student_record_pdf_bytes(
        enrollment.course,
        enrollment.student,
        language=translation.get_language(),
        include_drafts=not request.user.is_student,
    )
    return _download(content, "application/pdf", student_record_filename(enrollment.course, enrollment.student))


@require_GET
@login_required
def feedback_pdf(request, pk):
    """The feedback PDF: the student's own once released; the course's staff at any time (drafts marked)."""
    grade = grade_for_viewer(request.user, pk)
    for_student = grade.submission.student_id == request.user.pk  # the student's copy: the grade as released
    content = feedback_pdf_bytes(grade, language=translation.get_language(), for_student=for_student)
    return _download(content, "application/pdf", feedback_filename(grade))
