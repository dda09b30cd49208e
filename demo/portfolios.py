"""Demo portfolios: generated documents handed in for the tasks already past due.

Most students hand in on time; a few are late, one has an extension, a few hand in nothing,
and student1 resubmitted once, so a newcomer sees a realistic queue and portfolio.
"""

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from portfolio import services
from portfolio.models import Submission, Version

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def make_docx(paragraphs):
    """A small but real Word document with the given paragraphs."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>' for text in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


REPOSITORY_ROWS = [
    (
        "«Шаңырақ» дағдарыс орталығы",
        "ҮЕҰ",
        "Тұрмыстық зорлық-зомбылық құрбандары",
        "Уақытша баспана, психологиялық кеңес",
        "Алматы",
        "+7 727 000 00 01",
    ),
    (
        "Халықты жұмыспен қамту орталығы",
        "Мемлекеттік орган",
        "Жұмыссыздар",
        "Жұмысқа орналастыру, қайта даярлау",
        "Алматы",
        "+7 727 000 00 02",
    ),
    (
        "«Мейірім» қайырымдылық қоры",
        "Қайырымдылық қоры",
        "Мүмкіндігі шектеулі адамдар",
        "Оңалту құралдары",
        "Қонаев",
        "+7 727 000 00 03",
    ),
]


def make_repository_xlsx(student_name):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Репозиторий"
    sheet.append(["Ұйым", "Түрі", "Клиенттер санаты", "Қызметтер", "Қала", "Телефон"])
    for row in REPOSITORY_ROWS:
        sheet.append(row)
    sheet.append([f"Құрастырған: {student_name}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _essay(student, version):
    return make_docx(
        [
            "Кейс-менеджменттің даму тарихы мен теориялық негіздері",
            f"Реферат. Орындаған: {student.display_name}. Нұсқа {version}.",
            "Кіріспе. Кейс-менеджмент – клиенттің қажеттіліктерін бағалап, қызметтерді үйлестіретін әдіс.",
            "Негізгі бөлім. Әдіс XX ғасырдың ортасында АҚШ-та әлеуметтік қызметтердің бытыраңқылығына жауап ретінде "
            "пайда болды; Қазақстанда ол арнаулы әлеуметтік қызметтер туралы заңнамамен бірге дамыды.",
            "Қорытынды. Кейс-менеджмент клиентке бағытталған, үйлестірілген көмектің негізі болып табылады.",
        ]
    )


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def demo_portfolios(*, course, now):
    """Hand in demo work for the tasks past due (and a few early drafts). Skips what already exists."""
    tasks = {task.label: task for task in course.tasks.all()}
    students = [enrollment.student for enrollment in course.enrollments.select_related("student").order_by("pk")]
    by_name = {student.username: student for student in students}
    essay, repository, plan = tasks["СОӨЖ 1"], tasks["СӨЖ 1"], tasks["СОӨЖ 2-3"]

    if not Submission.objects.filter(task=essay).exists():
        extended = by_name.get("student7")
        if extended is not None:
            services.extension_grant(
                task=essay,
                student=extended,
                due_at=essay.due_at + dt.timedelta(days=4),
                reason="Ауырған (анықтама бар)",
                granted_by=course.instructors.first(),
            )
        delays = {"student5": dt.timedelta(days=2, hours=3), "student9": dt.timedelta(hours=5)}
        for index, student in enumerate(students):
            if student.username in {"student22", "student23", "student24"}:
                continue
            if student.username == "student1":
                _hand_in(essay, student, "эссе_1-нұсқа.docx", _essay(student, 1), essay.due_at - dt.timedelta(days=4))
                # Version 2 replaces version 1's file: the student takes the carried-over copy out first.
                first = Version.objects.get(submission__task=essay, submission__student=student, number=1)
                services.draft_remove_file(submission_file=first.files.get(), now=essay.due_at - dt.timedelta(days=2))
                _hand_in(essay, student, "эссе_2-нұсқа.docx", _essay(student, 2), essay.due_at - dt.timedelta(days=1))
                continue
            moment = essay.due_at - dt.timedelta(days=1, hours=index)
            if student.username in delays:
                moment = essay.due_at + delays[student.username]
            elif student == extended:
                moment = essay.due_at + dt.timedelta(days=2)
            _hand_in(essay, student, f"Реферат_{student.last_name}.docx", _essay(student, 1), moment)

    if not Submission.objects.filter(task=repository).exists():
        for index, student in enumerate(students):
            if student.username in {"student21", "student22", "student23", "student24"}:
                continue
            moment = repository.due_at - dt.timedelta(hours=3 + index)
            if student.username == "student11":
                moment = repository.due_at + dt.timedelta(days=1, hours=2)
            content = make_repository_xlsx(student.display_name)
            _hand_in(repository, student, f"Репозиторий_{student.last_name}.xlsx", content, moment)

    if not Submission.objects.filter(task=plan).exists():
        for username in ("student1", "student2", "student3"):
            student = by_name.get(username)
            if student is None:
                continue
            content = make_docx(["Кейс-жоспар (жоба)", f"{student.display_name}", "Клиент профилі: …"])
            services.draft_add_files(
                task=plan, student=student, uploads=[_upload("Кейс-жоспар.docx", content)], now=now
            )


def _hand_in(task, student, name, content, moment):
    services.draft_add_files(task=task, student=student, uploads=[_upload(name, content)], now=moment)
    services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)
