"""The feedback PDF of a graded submission: the document a student keeps and staff may print."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from config.pdf import css_counter_content, render_pdf
from coursework.models import Enrollment
from grading import scoring
from grading.selectors.grades import grade_outcome, grade_scores, released_grade

TEMPLATE = "grading/feedback_pdf.html"
HUNDRED = scoring.HUNDRED


def _page_footer(student_name):
    """The page footer: the student's name and "page X of Y" in the reader's language."""
    return css_counter_content(_("%(student)s · page %(page)s of %(pages)s"), student=student_name)


def _rubric_rows(grade):
    """One row per criterion of the grade's rubric: its levels in order, the chosen one, the score."""
    scores = {score.criterion_id: score for score in grade_scores(grade)}
    rows = []
    for criterion in grade.rubric.criteria.prefetch_related("levels"):
        levels = list(criterion.levels.all())
        score = scores.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "levels": [
                    {"level": level, "chosen": score is not None and score.level_id == level.pk} for level in levels
                ],
                "maximum": scoring.criterion_maximum(levels),
                "score": score,
            }
        )
    columns = max((len(row["levels"]) for row in rows), default=0)
    for row in rows:
        row["padding"] = range(columns - len(row["levels"]))
    return rows, columns


def _context(grade, *, working):
    submission = grade.submission
    task = submission.task
    course = task.course
    department = course.department
    student = submission.student
    enrollment = Enrollment.objects.filter(course=course, student=student).first()
    rows, columns = _rubric_rows(grade) if grade.rubric is not None else ([], 0)
    outcome = grade_outcome(grade)
    scaled = grade.rubric_maximum is not None and grade.rubric_maximum != HUNDRED
    return {
        "grade": grade,
        "version": grade.version,
        "task": task,
        "course": course,
        "department": department,
        "student": student,
        "enrollment": enrollment,
        "graded_by": grade.graded_by,
        "unreleased_changes": working and grade.has_unreleased_changes,
        "rows": rows,
        "level_columns": columns,
        "level_range": range(columns),
        "band": outcome["band"],
        "letter": outcome["letter"],
        "scaling_note": scaled,
        "footer": _page_footer(student.display_name),
    }


def feedback_pdf_bytes(grade, *, language, for_student=False):
    """The feedback document of ``grade`` as PDF bytes, every label and content text in ``language``.

    Rule: the student's copy (``for_student``) shows the grade as last released, whatever a grader has saved
    since; the staff's shows the working values, marked as a draft or as changed since the release."""
    return render_pdf(feedback_html(grade, language=language, for_student=for_student))


def feedback_html(grade, *, language, for_student=False):
    """The feedback document as the HTML WeasyPrint lays out (see ``feedback_pdf_bytes``)."""
    shown = released_grade(grade) if for_student else None
    with translation.override(language):
        return render_to_string(TEMPLATE, _context(shown or grade, working=shown is None))


def feedback_filename(grade):
    student = grade.submission.student
    return f"{grade.submission.task.label} — {student.display_name}.pdf"
