"""Demo grades: the work past due graded with each task's own rubric, most of it released. The work built in the portal
is graded where it is built: the case plans by demo.caseplans and the toolkits of СӨЖ 3 by demo.toolkits (after their
defence), СӨЖ 4 by demo.analysis."""

from decimal import ROUND_FLOOR, Decimal

from coursework.models import BUILT_IN_PORTAL, Enrollment
from grading.models import ControlKind, ControlScore, Grade
from grading.services.gradebook import control_scores_save
from grading.services.grades import grade_release, grade_save
from grading.services.letter_scale import letter_scale_ensure
from portfolio.models import Version

# Where in its level's range the demo grader's points fall (0 = the level's lower bound, 1 = its upper one),
# cycling for variety. Below the top level the upper bound is never given: that edge belongs to the level above.
# On the essay rubric's 20–25 / 15–20 / 10–15 / 0–10 these are the points 25, 23, 21, 20; 19, 18, 16, 15; …
LEVEL_SHARES = {
    1: ["1", "0.6", "0.2", "0"],
    2: ["0.8", "0.6", "0.2", "0"],
    3: ["0.8", "0.5", "0.2", "0"],
    4: ["0.9", "0.7", "0.5", "0.3"],
}
# Comments per criterion and overall feedback (by the profile's average level, best first), per deliverable.
COMMENTS = {
    "essay": [
        "Тақырып жақсы ашылған, мысалдар орынды.",
        "Құрылымы сақталған, бірақ бөлімдер арасындағы байланыс әлсіз.",
        "Дереккөздерге сілтемелерді толықтырыңыз.",
        "Қорытындыда өз пікіріңізді нақтырақ жазыңыз.",
        "",
    ],
    "service_repository": [
        "Байланыс деректері ресми сайттар бойынша тексерілген.",
        "Кейбір ұйымдардың жұмыс уақыты көрсетілмеген.",
        "Қарттар мен балаларға арналған қызметтерді толықтырыңыз.",
        "Ұйым түрін шаблондағы тізімнен таңдаңыз.",
        "",
    ],
}
FEEDBACK = {
    "essay": [
        "Өте жақсы жұмыс: тақырып толық ашылған, дереккөздер дұрыс қолданылған.",
        "Жалпы алғанда жақсы жұмыс. Әдебиеттер тізімін ГОСТ талабына сай рәсімдеңіз.",
        "Жұмыс талапқа сай, бірақ талдау тереңірек болуы керек.",
        "Құрылымын қайта қарап, қорытындыны күшейтіңіз.",
    ],
    "service_repository": [
        "Өте жақсы репозиторий: санаттар толық қамтылған, байланыс деректері тексерілген.",
        "Жалпы алғанда жақсы жұмыс. Бірнеше ұйымның байланыс деректерін жаңартыңыз.",
        "Репозиторийді пайдалануға болады, бірақ өрістердің бір бөлігі бос.",
        "Санаттарды толықтырып, деректерді шаблон бойынша қайта тексеріңіз.",
    ],
}
# Each student index picks a level profile: mostly good work, some excellent, a few weak. A rubric with more
# criteria than a profile has levels starts the profile again.
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
LEFT_TO_GRADE = {"student19", "student20"}  # the instructor grades these in the demo
REVIEWED = ("student2", "СӨЖ 1")  # released, then raised after a review and not released again
# Graded in several sittings before its release: its history is longer than the grading page shows at first.
CORRECTED = ("student3", "СОӨЖ 1")
# What the grader changed at each later sitting: the originality report come in, a comment and the feedback made
# fuller, the first criterion raised a level on a second reading.
CORRECTIONS = [
    {"originality_percent": Decimal(81)},
    {"comment": "Дереккөздерге сілтемелерді толықтырыңыз: кемінде екі ғылыми мақала қосыңыз."},
    {"feedback": " Әдебиеттер тізімін ГОСТ бойынша рәсімдеңіз."},
    {"raise_first": True},
]


def level_points(level, share):
    """Points at ``share`` of the level's range, rounded down to a half point."""
    points = level.min_percent + (level.max_percent - level.min_percent) * Decimal(share)
    return max(level.min_percent, (points * 2).to_integral_value(ROUND_FLOOR) / 2)


def rubric_scores(criteria, picks):
    """Scores as grade_save takes them: one (level position, share of its range, comment) per criterion."""
    scores = []
    for criterion, (level_position, share, comment) in zip(criteria, picks, strict=True):
        level = next(level for level in criterion.levels.all() if level.position == level_position)
        scores.append(
            {"criterion": criterion, "level": level, "points": level_points(level, share), "comment": comment}
        )
    return scores


def demo_grades(*, course):
    """Grade most handed-in work of each task that has a rubric, with that rubric; release most, keep a few as
    drafts. Work already graded is left as it is.

    Only the tasks past due have work handed in (СОӨЖ 1 with the essay rubric, СӨЖ 1 with the repository's
    example rubric). СОӨЖ 1 has no points in the course document, so its grades are the rubric's percentage.
    student2's СӨЖ 1 grade is released and then raised without being released again: the student still sees
    the first one. The work built in the portal is left to the module that builds it (``demo.caseplans``,
    ``demo.analysis``, ``demo.toolkits``): a case plan or a toolkit is graded only after its defence.
    """
    letter_scale_ensure()
    instructor = course.instructors.first()
    tasks = course.tasks.filter(rubric__isnull=False).exclude(deliverable__in=BUILT_IN_PORTAL)
    for task in tasks.select_related("rubric").order_by("position"):
        criteria = list(task.rubric.criteria.prefetch_related("levels"))
        comments = COMMENTS.get(task.deliverable, COMMENTS["essay"])
        feedback = FEEDBACK.get(task.deliverable, FEEDBACK["essay"])
        latest = (
            Version.objects.latest_submitted()
            .filter(submission__task=task)
            .select_related("submission__student")
            .order_by("submission__student__username")
        )
        for index, version in enumerate(latest):
            username = version.submission.student.username
            if Grade.objects.filter(version=version).exists() or username in LEFT_TO_GRADE:
                continue
            profile = PROFILES[index % len(PROFILES)]
            values = {
                "feedback": feedback[min(round(sum(profile) / len(profile)) - 1, len(feedback) - 1)],
                "originality_percent": Decimal(72 + (index * 7) % 27),
                "originality_checker": "Антиплагиат (ҚазҰУ)",
            }
            if version.is_late and index % 2 == 0:
                # The document's rule offers late work a lower band; here the instructor keeps the higher one.
                values["band_kept_reason"] = "Кешігу дәлелді себеппен: денсаулығына байланысты анықтама берілді."
            picks = _picks(profile, index, len(criteria), comments)
            grade = grade_save(
                version=version,
                grader=instructor,
                expected_lock_version=0,
                scores=rubric_scores(criteria, picks),
                **values,
            )
            if (username, task.label) == CORRECTED:
                grade = _graded_in_sittings(grade, criteria, picks, instructor, values)
            if username in {"student1", "student2"} or index % 5 != 3:
                grade = grade_release(grade=grade, by=instructor, notify=False)
            if (username, task.label) == REVIEWED:
                _raise_after_review(grade, criteria, profile, index, instructor, values, comments)


def _picks(profile, index, count, comments):
    """(level position, share of its range, comment) for each of ``count`` criteria, varied by the student's
    place in the list."""
    return [
        (
            profile[position % len(profile)],
            LEVEL_SHARES[profile[position % len(profile)]][(index + position) % 4],
            comments[(index + position) % len(comments)],
        )
        for position in range(count)
    ]


def _graded_in_sittings(grade, criteria, picks, instructor, values):
    """The grade changed at each of ``CORRECTIONS``' sittings, one save each; the last saved grade."""
    picks, values = list(picks), dict(values)
    for correction in CORRECTIONS:
        if "originality_percent" in correction:
            values["originality_percent"] = correction["originality_percent"]
        if "comment" in correction:
            level, share, _comment = picks[-1]
            picks[-1] = (level, share, correction["comment"])
        if "feedback" in correction:
            values["feedback"] += correction["feedback"]
        if correction.get("raise_first"):
            level, share, comment = picks[0]
            picks[0] = (max(1, level - 1), share, comment)
        grade = grade_save(
            version=grade.version,
            grader=instructor,
            expected_lock_version=grade.lock_version,
            scores=rubric_scores(criteria, picks),
            **values,
        )
    return grade


def _raise_after_review(grade, criteria, profile, index, instructor, values, comments):
    """A released grade raised one level on every criterion after a review, and not released again yet."""
    better = tuple(max(1, level - 1) for level in profile)
    grade_save(
        version=grade.version,
        grader=instructor,
        expected_lock_version=grade.lock_version,
        scores=rubric_scores(criteria, _picks(better, index, len(criteria), comments)),
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
