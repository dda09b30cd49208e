"""The read-only review of a handed-in work and its grade, for the course's staff who do not grade it.

The department's admin reaches it from the gradebook's cells (the grading page is the instructors' and answers
them 403). A student, the work's own included, and anyone outside the course's staff get 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coursework.access import teaches
from coursework.models import Enrollment
from grading import scoring
from grading.selectors.grades import grade_history, grading_work, outcome_scales
from portfolio.access import submission_for_viewer


@require_GET
@login_required
def grade_review(request, pk):
    """The work's files and the student's statement (as the portfolio shows it); the grade as its grader left
    it: each criterion's levels with the chosen one, points and comment, the feedback, originality and every
    recorded change. Nothing to edit."""
    submission = submission_for_viewer(request.user, pk)
    if submission.student_id == request.user.pk:
        raise Http404  # a student reads their released grade on their own pages, never this one
    work = grading_work(submission)
    task = submission.task
    grade = work.grade or work.previous
    bands, letters = outcome_scales(task.rubric, task.course.department)
    context = {
        "course": task.course,
        "task": task,
        "submission": submission,
        "version": work.version,
        "grade": grade,
        "earlier_grade": work.grade is None and work.previous is not None,
        "criteria": _criteria(work.criteria, grade),
        "band": scoring.band_for(bands, grade.percent) if grade else None,
        "letter": scoring.letter_for(letters, grade.percent) if grade else None,
        "history": grade_history(submission),
        "enrollment": Enrollment.objects.filter(course_id=task.course_id, student=submission.student).first(),
        "can_grade": request.user.can_grade and teaches(request.user, task.course),
    }
    return render(request, "grading/grade_review.html", context)


def _criteria(criteria, grade):
    """(criterion, [(level, chosen)], score or None) per criterion of the rubric, in its order."""
    scores = {score.criterion_id: score for score in grade.scores.all()} if grade else {}
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        levels = [(level, score is not None and score.level_id == level.pk) for level in criterion.levels.all()]
        rows.append((criterion, levels, score))
    return rows
