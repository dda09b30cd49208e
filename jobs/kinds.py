"""What each kind of job makes. A maker gets the job and a ``Progress`` and returns the file's bytes, name and
type; it reads nothing from the request (the job may run in a worker) and writes nothing to storage (the runner
stores the result)."""

import io
from dataclasses import dataclass

from pypdf import PdfWriter

from coursework.models import Course
from grading.documents.feedback import feedback_filename, feedback_pdf_bytes
from grading.documents.grade_sheet import grade_sheet_pdf_in_parts
from grading.documents.gradebook import (
    FILENAME_FORBIDDEN,
    XLSX_CONTENT_TYPE,
    department_workbook_bytes,
    gradebook_filename,
    workbook_bytes,
)
from grading.selectors.gradebook import build_gradebook
from grading.selectors.grades import latest_grades
from jobs.models import Job
from portfolio.zipstream import safe_arcname, zip_stream

PDF = "application/pdf"


@dataclass
class Output:
    content: bytes
    filename: str
    content_type: str


def _course_book(job):
    return build_gradebook(job.course, include_drafts=True, group=job.group or None, sort="group")


def course_pdf(job, progress):
    """The course's (or one group's) grade sheet, its groups laid out side by side by the render workers."""
    progress.total(2)
    book = _course_book(job)
    progress.step()
    content = grade_sheet_pdf_in_parts(book, language=job.language)
    progress.step()
    return Output(content, gradebook_filename(job.course, job.group or None, ".pdf"), PDF)


def course_xlsx(job, progress):
    progress.total(1)
    content = workbook_bytes(_course_book(job), language=job.language)
    progress.step()
    return Output(content, gradebook_filename(job.course, job.group or None, ".xlsx"), XLSX_CONTENT_TYPE)


def department_courses(job):
    """The courses a department export covers: those of the department its requester may still see."""
    return (
        Course.objects.visible_to(job.requested_by)
        .filter(department=job.department)
        .select_related("department")
        .order_by("-academic_year", "code", "pk")
    )


def department_pdf(job, progress):
    """Every course's grade sheet, one after another, each starting on a new page and bookmarked by its course; each
    sheet's groups are laid out side by side by the render workers."""
    courses = list(department_courses(job))
    progress.total(len(courses))
    writer = PdfWriter()
    for course in courses:
        book = build_gradebook(course, include_drafts=True, sort="group")
        first_page = len(writer.pages)
        writer.append(io.BytesIO(grade_sheet_pdf_in_parts(book, language=job.language)), import_outline=False)
        title = f"{course.code} · {course.academic_year} · {course.display_title}"
        writer.add_outline_item(title=title, page_number=first_page)
        progress.step()
    buffer = io.BytesIO()
    writer.write(buffer)
    return Output(buffer.getvalue(), _department_filename(job, ".pdf"), PDF)


def department_xlsx(job, progress):
    courses = list(department_courses(job))
    progress.total(len(courses))
    books = []
    for course in courses:
        books.append(build_gradebook(course, include_drafts=True, sort="group"))
    content = department_workbook_bytes(books, language=job.language, progress=lambda done: progress.step())
    return Output(content, _department_filename(job, ".xlsx"), XLSX_CONTENT_TYPE)


def _department_filename(job, extension):
    return FILENAME_FORBIDDEN.sub("_", job.department.display_name) + extension


def feedback_zip(job, progress):
    """Each graded student's feedback PDF (as the staff see it: drafts marked), in a folder per academic group."""
    grades = list(latest_grades(job.task))
    groups = dict(job.task.course.enrollments.values_list("student_id", "academic_group"))
    progress.total(len(grades))

    def document(grade):
        def make():
            content = feedback_pdf_bytes(grade, language=job.language)
            progress.step()
            return io.BytesIO(content)

        return make

    entries = [
        (safe_arcname(groups.get(grade.submission.student_id, ""), feedback_filename(grade)), document(grade))
        for grade in grades
    ]
    content = b"".join(zip_stream(entries))
    name = FILENAME_FORBIDDEN.sub("_", f"{job.task.course.code} — {job.task.label}")
    return Output(content, f"{name}.zip", "application/zip")


MAKERS = {
    Job.Kind.COURSE_PDF: course_pdf,
    Job.Kind.COURSE_XLSX: course_xlsx,
    Job.Kind.DEPARTMENT_PDF: department_pdf,
    Job.Kind.DEPARTMENT_XLSX: department_xlsx,
    Job.Kind.FEEDBACK_ZIP: feedback_zip,
}
