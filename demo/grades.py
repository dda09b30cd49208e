"""Demo grades: the seed rubric on the graded tasks, most past-due work graded, most of that released."""

from decimal import Decimal

from coursework.models import Enrollment
from grading.models import ControlKind, ControlScore, Grade
from grading.services.gradebook import control_scores_save
from grading.services.grades import grade_release, grade_save
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from portfolio.models import Version

LEVEL_POINTS = {  # level position → points the demo grader gives, cycling for variety
    1: ["25", "23", "21", "20"],
    2: ["19", "18", "16", "15"],
    3: ["14", "12.5", "11", "10"],
    4: ["9", "7", "5", "3"],
}
COMMENTS = [
    "Тақырып жақсы ашылған, мысалдар орынды.",
    "Құрылымы сақталған, бірақ бөлімдер арасындағы байланыс әлсіз.",
    "Дереккөздерге сілтемелерді толықтырыңыз.",
    "Қорытындыда өз пікіріңізді нақтырақ жазыңыз.",
    "",
]
FEEDBACK = [  # by the profile's average level, best first
    "Өте жақсы жұмыс: тақырып толық ашылған, дереккөздер дұрыс қолданылған.",
    "Жалпы алғанда жақсы жұмыс. Әдебиеттер тізімін ГОСТ талабына сай рәсімдеңіз.",
    "Жұмыс талапқа сай, бірақ талдау тереңірек болуы керек.",
    "Құрылымын қайта қарап, қорытындыны күшейтіңіз.",
]
# Each student index picks a level profile: mostly good work, some excellent, a few weak.
PROFILES = [
    (1, 2, 1, 2, 2),
    (2, 2, 3, 2, 3),
    (1, 1, 1, 1, 2),
    (2, 3, 3, 2, 3),
    (3, 3, 4, 3, 4),
    (1, 1, 2, 1, 1),
    (2, 2, 2, 2, 2),
    (3, 2, 3, 3, 3),
    (2, 1, 2, 2, 1),
    (4, 3, 4, 4, 4),
]


def rubric_scores(criteria, picks):
    """Scores as grade_save takes them: one (level position, points, comment) per criterion, in order."""
    scores = []
    for criterion, (level_position, points, comment) in zip(criteria, picks, strict=True):
        level = next(level for level in criterion.levels.all() if level.position == level_position)
        scores.append({"criterion": criterion, "level": level, "points": Decimal(points), "comment": comment})
    return scores


def demo_grades(*, course):
    """Grade most handed-in work of the tasks past due; release most, keep a few as drafts.

    СОӨЖ 1 has no points in the course document, so its grades are the rubric's percentage. student2's СӨЖ 1
    grade is released and then raised without being released again: the student still sees the first one.
    """
    rubric = essay_rubric_ensure()
    letter_scale_ensure()
    instructor = course.instructors.first()
    tasks = {task.label: task for task in course.tasks.all()}
    for label in ("СОӨЖ 1", "СӨЖ 1", "СӨЖ 4", "СӨЖ 3"):
        task = tasks.get(label)
        if task is not None and task.rubric_id is None:
            task.rubric = rubric
            task.save(update_fields=["rubric"])
    criteria = list(rubric.criteria.prefetch_related("levels"))
    for label in ("СОӨЖ 1", "СӨЖ 1"):
        task = tasks[label]
        latest = (
            Version.objects.latest_submitted()
            .filter(submission__task=task)
            .select_related("submission__student")
            .order_by("submission__student__username")
        )
        for index, version in enumerate(latest):
            username = version.submission.student.username
            if Grade.objects.filter(version=version).exists() or username in {"student19", "student20"}:
                continue  # already graded, or left for the instructor to grade in the demo
            profile = PROFILES[index % len(PROFILES)]
            values = {
                "feedback": FEEDBACK[min(round(sum(profile) / len(profile)) - 1, len(FEEDBACK) - 1)],
                "originality_percent": Decimal(72 + (index * 7) % 27),
                "originality_checker": "Антиплагиат (ҚазҰУ)",
            }
            if version.is_late and index % 2 == 0:
                # The document's rule offers late work a lower band; here the instructor keeps the higher one.
                values["band_kept_reason"] = "Кешігу дәлелді себеппен: денсаулығына байланысты анықтама берілді."
            grade = grade_save(
                version=version,
                grader=instructor,
                expected_lock_version=0,
                scores=rubric_scores(criteria, _picks(profile, index)),
                **values,
            )
            if username in {"student1", "student2"} or index % 5 != 3:
                grade = grade_release(grade=grade, by=instructor, notify=False)
            if username == "student2" and label == "СӨЖ 1":
                _raise_after_review(grade, criteria, profile, index, instructor, values)


def _picks(profile, index):
    """(level position, points, comment) per criterion, varied by the student's place in the list."""
    return [
        (level, LEVEL_POINTS[level][(index + position) % 4], COMMENTS[(index + position) % len(COMMENTS)])
        for position, level in enumerate(profile)
    ]


def _raise_after_review(grade, criteria, profile, index, instructor, values):
    """A released grade raised one level on every criterion after a review, and not released again yet."""
    better = tuple(max(1, level - 1) for level in profile)
    grade_save(
        version=grade.version,
        grader=instructor,
        expected_lock_version=grade.lock_version,
        scores=rubric_scores(criteria, _picks(better, index)),
        **{**values, "feedback": values["feedback"] + " Қайта қаралғаннан кейін баға көтерілді."},
    )


def demo_controls(*, course):
    """РК1 entered for every student, spread from weak to excellent so the gradebook shows variety."""

    if ControlScore.objects.filter(course=course).exists():
        return
    instructor = course.instructors.first()
    students = (
        Enrollment.objects.filter(course=course).order_by("student__username").values_list("student_id", flat=True)
    )
    scores = {
        (student_id, ControlKind.RK1): Decimal(45 + (index * 17) % 54) for index, student_id in enumerate(students)
    }
    control_scores_save(course=course, by=instructor, scores=scores)
