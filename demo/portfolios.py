"""Demo portfolios: generated documents handed in for the tasks already past due.

Most students hand in on time; a few are late, one has an extension, a few hand in nothing,
and student1 resubmitted once, so a newcomer sees a realistic queue and portfolio.
"""

import datetime as dt
import hashlib
import io
import re
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from demo import essay_text
from portfolio import services
from portfolio.counts import count_words
from portfolio.models import Submission, Version
from portfolio.repository.columns import COLUMNS as REPOSITORY_TEMPLATE_COLUMNS
from portfolio.repository.template import repository_template_bytes

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


# Essays handed in well short of the 5–7 pages the task asks, so the demo shows the portal marking them.
SHORT_ESSAYS = {"student3", "student13"}
# The words an essay comes to at most (it stops below by less than a paragraph): at the estimate's 300 words a page,
# 5–7 pages, and about 3 for a short one. Version 2's extra paragraph keeps it below 2,250 words, still 7 pages.
ESSAY_WORDS = range(1600, 2051)
SHORT_ESSAY_WORDS = range(900, 1001)
ESSAY_PARAGRAPHS = {key: text for section in essay_text.SECTIONS.values() for key, text in section.items()}
CITATION = re.compile(r"\[\{(\w+)\}\]")

DOCX_MOMENT = (2025, 9, 1, 0, 0, 0)


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
        for name, text in (
            ("[Content_Types].xml", DOCX_CONTENT_TYPES),
            ("_rels/.rels", DOCX_RELS),
            ("word/document.xml", document),
        ):
            # A fixed time in each entry: the same paragraphs make the same bytes whenever they are made (a zip
            # entry keeps the moment it was written, to two seconds, which would tell two such files apart).
            archive.writestr(zipfile.ZipInfo(name, date_time=DOCX_MOMENT), text, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# Services of the demo repositories, as students type them: the lists' Kazakh or Russian words, phones in the
# forms people write. Plausible but clearly demo: the phones' last digits are 00…, the addresses' numbers 00, and
# the e-mails and websites are on example.kz (1414 and 150 are the public state lines).
REPOSITORY_COLUMNS = (
    "organisation", "organisation_type", "client_category", "services", "region", "city", "address", "phone",
    "email", "website", "eligibility", "cost", "hours", "source",
)  # fmt: skip
REPOSITORY_SERVICES = [
    ("«Жан» дағдарыс орталығы", "Үкіметтік емес ұйым", "Тұрмыстық зорлық-зомбылық құрбандары",
     "Уақытша баспана, психологиялық және заңгерлік кеңес", "Алматы қаласы", "Алматы", "Абай даңғылы, 00",
     "8 (727) 000-00-11", "zhan@example.kz", "example.kz/zhan", "Зорлық-зомбылықтан зардап шеккен әйелдер мен балалар",
     "Тегін", "Тәулік бойы", "Ұйымның ресми сайты"),
    ("Халыққа қызмет көрсету орталығы (ХҚКО) №1", "Мемлекеттік орган", "Өмірлік қиын жағдайдағы отбасылар",
     "Әлеуметтік көмек пен жәрдемақыға өтініш қабылдау", "Астана қаласы", "Астана", "Мәңгілік Ел даңғылы, 00",
     "1414", "", "https://example.kz/hqko", "Қазақстан азаматтары мен қандастар", "Тегін",
     "Дс–Жм 09:00–19:00, Сн 09:00–13:00", "eGov порталы"),
    ("Жұмыспен қамту орталығы", "Государственный орган", "Безработные",
     "Жұмысқа орналастыру, кәсіптік оқыту, қоғамдық жұмыстар", "Карагандинская область", "Қарағанды",
     "Бұқар жырау даңғылы, 00", "+7 7212 00 00 21", "jumys@example.kz", "", "Жұмыссыз ретінде тіркелген азаматтар",
     "Бесплатно", "Пн–Пт 09:00–18:00", "Облыс әкімдігінің сайты"),
    ("«Мейірім» қайырымдылық қоры", "Қайырымдылық қоры", "Мүмкіндігі шектеулі адамдар",
     "Оңалту құралдары, үйде күтім, еріктілер көмегі", "Шымкент қаласы", "Шымкент", "Тәуке хан даңғылы, 00",
     "8 725 200 00 31", "meirim@example.kz", "example.kz/meirim", "Мүгедектігі бар балалар мен ересектер", "Тегін",
     "Дс–Сн 10:00–18:00", "Қордың Instagram парақшасы"),
    ("«Ақ жүрек» қоғамдық қоры", "НПО", "Қарт адамдар",
     "Жалғызбасты қарттарға үйде әлеуметтік көмек, азық-түлік себеті", "Павлодар облысы", "Павлодар",
     "Сәтбаев көшесі, 00", "8 (7182) 00-00-41", "akzhurek@example.kz", "", "65 жастан асқан жалғызбасты азаматтар",
     "Ішінара ақылы", "Дс–Жм 09:00–17:00", "Қор өкілімен телефон арқылы сөйлесу"),
    ("Балалар мен жасөспірімдерге арналған сенім телефоны", "Мемлекеттік орган", "Балалар мен жастар",
     "Тегін психологиялық кеңес: телефон және онлайн-чат", "Астана қаласы", "Астана", "", "150", "",
     "example.kz/150", "Балалар, жасөспірімдер және олардың ата-аналары", "Тегін", "Тәулік бойы", "Ресми сайт"),
    ("Тұрғылықты жері жоқ адамдарға арналған бейімдеу орталығы", "Мемлекеттік мекеме",
     "Белгілі бір тұрғылықты жері жоқ адамдар", "Уақытша тұру, тамақ, құжаттарды қалпына келтіру", "Алматы қаласы",
     "Алматы", "Рысқұлов даңғылы, 00", "+7 727 000 00 51", "", "", "Тұрғылықты жері жоқ кәмелетке толған азаматтар",
     "Тегін", "Тәулік бойы", "Қала әкімдігінің сайты"),
    ("Пробация қызметі", "Мемлекеттік орган", "Бас бостандығынан айыру орындарынан босатылғандар",
     "Әлеуметтік-құқықтық көмек, жұмысқа орналасуға жәрдем", "Шығыс Қазақстан облысы", "Өскемен",
     "Ушанов көшесі, 00", "8 (7232) 00-00-61", "probation@example.kz", "",
     "Пробациялық бақылаудағы және босатылған азаматтар", "Тегін", "Дс–Жм 09:00–18:00", "Ресми сайт"),
    ("Қандастарды бейімдеу орталығы", "Мемлекеттік орган", "Мигранты",
     "Уақытша тұру, қазақ тілі курстары, құжат рәсімдеу", "Маңғыстау облысы", "Ақтау", "00 шағын аудан, 00 үй",
     "8 (7292) 00-00-71", "kandas@example.kz", "", "Қандас мәртебесін алған отбасылар", "Тегін",
     "Дс–Жм 09:00–18:00", "Облыстық жұмыспен қамту басқармасы"),
    ("«Үміт» оңалту орталығы", "Частная организация", "Люди с ограниченными возможностями",
     "Медициналық-әлеуметтік оңалту, емдік дене шынықтыру", "Ақтөбе облысы", "Ақтөбе", "Әбілқайыр хан даңғылы, 00",
     "+7 7132 00 00 81", "umit@example.kz", "example.kz/umit", "Мүгедектігі бар адамдар, жолдамамен",
     "Частично платно", "Пн–Пт 08:00–17:00", "Орталық әкімшісімен сөйлесу"),
    ("Көші-қон мәселелері жөніндегі халықаралық ұйымның кеңсесі", "Халықаралық ұйым", "Көшіп-қонушылар",
     "Адам саудасынан зардап шеккендерге көмек, ақпараттық желі", "Астана қаласы", "Астана", "Сығанақ көшесі, 00",
     "8 800 080 00 00", "info@example.kz", "example.kz/migration", "Еңбек мигранттары мен шетел азаматтары", "Тегін",
     "Дс–Жм 09:00–18:00", "Ұйымның ресми сайты"),
    ("Арнаулы әлеуметтік қызметтер көрсету орталығы", "Мемлекеттік орган", "Семьи в трудной жизненной ситуации",
     "Отбасыларды әлеуметтік сүйемелдеу, психолог кеңесі", "Түркістан облысы", "Түркістан", "Тәуке хан даңғылы, 00",
     "8 (72533) 0-00-91", "otbasy@example.kz", "", "Өмірлік қиын жағдайдағы отбасылар", "Тегін",
     "Дс–Жм 09:00–18:00", "Облыс әкімдігінің сайты"),
    ("«Қамқор» әйелдерді қолдау орталығы", "Үкіметтік емес ұйым", "Тұрмыстық зорлық-зомбылық құрбандары",
     "Психологиялық кеңес, заң көмегі, сенім телефоны", "Батыс Қазақстан облысы", "Орал", "Достық даңғылы, 00",
     "8 (7112) 00-01-01", "kamkor@example.kz", "", "Зорлық-зомбылықтан зардап шеккен әйелдер", "Тегін",
     "Дс–Сн 09:00–20:00", "Орталықтың Facebook парақшасы"),
    ("Қарттарға арналған күндізгі болу орталығы", "Мемлекеттік мекеме", "Пожилые люди",
     "Күндізгі болу, үйірмелер, дәрігер кеңесі", "Қостанай облысы", "Қостанай", "Әл-Фараби даңғылы, 00",
     "+7 7142 00 01 11", "", "example.kz/kun", "Зейнет жасындағы азаматтар", "Тегін", "Дс–Жм 09:00–17:00",
     "Қала әкімдігінің хабарландыруы"),
    ("Жастар ресурстық орталығы", "Мемлекеттік орган", "Дети и молодёжь",
     "Кәсіптік бағдар, волонтерлік, психологиялық көмек", "Жетісу облысы", "Талдықорған",
     "Қабанбай батыр көшесі, 00", "8 (7282) 00-01-21", "jastar@example.kz", "example.kz/jastar",
     "14–35 жастағы жастар", "Тегін", "Дс–Сн 09:00–19:00", "Ресми сайт"),
    ("«Сенім» әлеуметтік бейімдеу орталығы", "ҮЕҰ", "Бас бостандығынан айыру орындарынан босатылғандар",
     "Уақытша тұру, жұмысқа орналасуға көмек", "Қарағанды облысы", "Теміртау", "Металлургтер даңғылы, 00",
     "8 (7213) 00-01-31", "senim@example.kz", "", "Жазасын өтеп шыққан азаматтар", "Тегін", "Дс–Жм 09:00–18:00",
     "Ұйым директорымен сұхбат"),
    ("«Бақыт» балалар қоры", "Благотворительный фонд", "Балалар мен жастар",
     "Көп балалы отбасылардың балаларына мектеп құралдары, жазғы лагерь", "Жамбыл облысы", "Тараз",
     "Төле би көшесі, 00", "+7 7262 00 01 51", "baqyt@example.kz", "example.kz/baqyt",
     "Көп балалы және аз қамтылған отбасылардың балалары", "Тегін", "Дс–Жм 10:00–18:00", "Қордың ресми сайты"),
    ("Ауылдық округ әкімдігінің әлеуметтік қызметкері", "Мемлекеттік орган", "Өмірлік қиын жағдайдағы отбасылар",
     "Атаулы әлеуметтік көмекке құжат жинау, үйге бару", "Ақмола облысы", "Бурабай ауылы", "Кенесары көшесі, 00",
     "8 (71636) 0-01-61", "", "", "Ауылдық округ тұрғындары", "Тегін", "Дс–Жм 09:00–18:00", "Әкімдікке бару"),
    ("Мүгедектігі бар адамдарды оңалту орталығы", "Мемлекеттік орган", "Мүмкіндігі шектеулі адамдар",
     "Протездеу, сурдо- және тифлотехникалық құралдар", "Абай облысы", "Семей", "Шәкәрім даңғылы, 00",
     "8 (7222) 00-01-71", "onaltu@example.kz", "", "Мүгедектігі бар адамдар, жеке оңалту бағдарламасы бойынша",
     "Тегін", "Дс–Жм 09:00–18:00", "Облыс әкімдігінің сайты"),
    ("«Шуақ» жастар клубы", "Қоғамдық бірлестік", "Балалар мен жастар",
     "Жасөспірімдерге арналған үйірмелер және тәлімгерлік", "Кызылординская область", "Қызылорда",
     "Әйтеке би көшесі, 00", "8 (7242) 00-01-81", "shuaq@example.kz", "example.kz/shuaq", "12–18 жастағы жасөспірімдер",
     "Тегін", "Дс–Сн 14:00–20:00", "Клубтың Instagram парақшасы"),
]  # fmt: skip
# Wrong rows some students hand in, so the demo's reports have something to say.
REPOSITORY_MISTAKES = {
    "phone": {**dict(zip(REPOSITORY_COLUMNS, REPOSITORY_SERVICES[2], strict=True)), "phone": "27-00-01"},
    "region": {**dict(zip(REPOSITORY_COLUMNS, REPOSITORY_SERVICES[6], strict=True)), "region": "Алматы облысы"},
    "category": {**dict(zip(REPOSITORY_COLUMNS, REPOSITORY_SERVICES[4], strict=True)), "client_category": "Студенттер"},
    "website": {**dict(zip(REPOSITORY_COLUMNS, REPOSITORY_SERVICES[9], strict=True)), "website": "@umit_center"},
}
MISTAKES_BY_STUDENT = {"student1": ("phone", "region"), "student4": ("category",), "student9": ("website", "phone")}


def fill_repository_template(rows, *, creator=""):
    """The repository template (.xlsx) with ``rows`` (dicts of column key → value) below its example row."""
    book = load_workbook(io.BytesIO(repository_template_bytes()))
    sheet = book.worksheets[0]
    for line, row in enumerate(rows, start=3):
        for index, column in enumerate(REPOSITORY_TEMPLATE_COLUMNS, start=1):
            value = row.get(column.key)
            if value not in (None, ""):
                cell = sheet.cell(row=line, column=index, value=value)
                if column.key == "checked_on":
                    cell.number_format = "DD.MM.YYYY"
    book.properties.creator = creator
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def repository_rows(*, first=0, count=8, checked_before=None, mistakes=()):
    """``count`` demo services from the ``first``-th on (round the list), each checked a few days before
    ``checked_before`` (today if not given), then the wrong rows named in ``mistakes``."""
    checked_before = checked_before or dt.date.today()
    rows = []
    for offset in range(count):
        values = REPOSITORY_SERVICES[(first + offset) % len(REPOSITORY_SERVICES)]
        rows.append(dict(zip(REPOSITORY_COLUMNS, values, strict=True)))
    rows.extend(dict(REPOSITORY_MISTAKES[name]) for name in mistakes)
    for index, row in enumerate(rows):
        row["checked_on"] = checked_before - dt.timedelta(days=1 + index % 12)
    return rows


def make_repository_xlsx(student_name, *, first=0, checked_before=None, mistakes=()):
    """A student's repository: eight services filled into the template, and the wrong rows named."""
    rows = repository_rows(first=first, checked_before=checked_before, mistakes=mistakes)
    return fill_repository_template(rows, creator=student_name)


def _essay(student, version):
    """The student's essay as a docx that records no page statistics, so the portal estimates its pages from its
    words: the title, the student's line, the introduction, the body paragraphs the student keeps in the student's
    order, the conclusion and the references they cite."""
    return make_docx(_essay_paragraphs(student, version))


def _essay_paragraphs(student, version):
    """Most essays keep paragraphs of the pool until they come to ESSAY_WORDS (5–7 pages by the estimate); those of
    SHORT_ESSAYS come to SHORT_ESSAY_WORDS. Version 2 has back the last paragraph version 1 left out."""
    name = student.username
    short = name in SHORT_ESSAYS
    words = SHORT_ESSAY_WORDS if short else ESSAY_WORDS
    target = words[_draw(name, "words") % len(words)]
    order = _essay_order(name)
    kept = essay_text.KEPT if short else essay_text.KEPT_IN_FULL
    dropped = []
    for key in sorted(set(order) - kept, key=_drawer(name, "drop")):
        paragraphs = _essay_text(student, version, [each for each in order if each not in dropped])
        if sum(count_words(text) for text in paragraphs) <= target:
            break
        dropped.append(key)
    # Each later version has back one more of the paragraphs left out, the last left out first.
    dropped = dropped[: max(len(dropped) - (version - 1), 0)]
    return _essay_text(student, version, [key for key in order if key not in dropped])


def _essay_order(name):
    """The body's paragraphs in the order ``name`` writes them: the sections in their order, except that some
    students put the models before the theories or their own practice before Kazakhstan's; the paragraphs of a
    section of free order in the student's own order."""
    sections = list(essay_text.SECTIONS)
    for first, second in (("theory", "models"), ("kazakhstan", "practice")):
        if _draw(name, first, second) % 2:
            one, other = sections.index(first), sections.index(second)
            sections[one], sections[other] = second, first
    order = []
    for section in sections:
        keys = list(essay_text.SECTIONS[section])
        order += sorted(keys, key=_drawer(name, "order")) if section in essay_text.FREE_ORDER else keys
    return order


def _essay_text(student, version, keys):
    """The essay's paragraphs with the body paragraphs ``keys``, its references numbered as first cited."""
    body = [ESSAY_PARAGRAPHS[key] for key in keys]
    cited = dict.fromkeys(key for text in body for key in CITATION.findall(text))
    numbers = {key: number for number, key in enumerate(cited, start=1)}
    return [
        essay_text.TITLE,
        f"Реферат. Орындаған: {student.display_name}. Нұсқа {version}.",
        essay_text.INTRODUCTION,
        *(text.format_map(numbers) for text in body),
        essay_text.CONCLUSION,
        essay_text.REFERENCES_HEADING,
        *(f"{number}. {essay_text.REFERENCES[key]}" for key, number in numbers.items()),
    ]


def _draw(name, *parts):
    """A number fixed by the student and what it is drawn for: the demo varies by student, the same on every load."""
    return int(hashlib.sha256(":".join((name, *parts)).encode()).hexdigest(), 16)


def _drawer(name, purpose):
    return lambda key: _draw(name, purpose, key)


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def demo_portfolios(*, course, now):
    """Hand in demo work for the tasks past due. Skips what already exists. (The work built in the portal is not handed
    in as files: demo.caseplans makes the case plans of СОӨЖ 2-3, demo.analysis the analyses of СӨЖ 4 and
    demo.toolkits the assessment toolkits of СӨЖ 3.)"""
    tasks = {task.label: task for task in course.tasks.all()}
    students = [enrollment.student for enrollment in course.enrollments.select_related("student").order_by("pk")]
    by_name = {student.username: student for student in students}
    essay, repository = tasks["СОӨЖ 1"], tasks["СӨЖ 1"]

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
            content = make_repository_xlsx(
                student.display_name,
                first=index * 3,
                checked_before=timezone.localdate(moment),
                mistakes=MISTAKES_BY_STUDENT.get(student.username, ()),
            )
            _hand_in(repository, student, f"Репозиторий_{student.last_name}.xlsx", content, moment)


def _hand_in(task, student, name, content, moment):
    services.draft_add_files(task=task, student=student, uploads=[_upload(name, content)], now=moment)
    services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)
