"""The demo's analytical work (СӨЖ 4): comparisons of case-management models, SWOT analyses of introducing case
management in Kazakhstan and lists of references that students built in the portal and handed in with their report,
graded with the task's rubric.

The term is in week 7 when the demo loads and СӨЖ 4 is due at the end of week 10, so the picture is of early work:
seven students handed in during weeks 5 and 6 (one of them twice), each comparing two or three models of their own
choice on their own criteria, with a SWOT of two to four items a quadrant and five to eight references, some added
from the course's reading list. Five grades are released, one is still a draft and one hand-in waits for grading;
student1 has begun the table and not handed in.
"""

import datetime as dt
import io
import math
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from analysis.references import formatted_references, reading_list_entry
from analysis.services import analysis_save, analysis_submit
from demo.grades import LEVEL_SHARES, rubric_scores
from demo.portfolios import DOCX_CONTENT_TYPES
from grading.services.grades import grade_release, grade_save
from portfolio.counts import count_words
from portfolio.models import Submission, Version, WorkingCopy
from portfolio.services import draft_add_files

TASK = "СӨЖ 4"

MODELS = {
    "brokerage": "Брокерлік (жалпы) модель",
    "clinical": "Клиникалық модель",
    "strengths": "Күшті жақтарға негізделген модель",
    "intensive": "Қарқынды қауымдастық көмегі моделі (ACT)",
    "rehabilitation": "Оңалту моделі",
}
CRITERIA = {
    "aim": "Мақсаты",
    "group": "Мақсатты топ",
    "role": "Кейс-менеджердің рөлі",
    "intensity": "Клиентпен байланыс қарқындылығы",
    "caseload": "Бір маманның жүктемесі",
    "pros": "Артықшылықтары",
    "limits": "Шектеулері",
    "fit": "Қазақстанға сәйкестігі",
}
# What a student writes in each cell: model → criterion → text. A student whose variant is odd writes only what
# comes before the colon, as a shorter table does.
CELLS = {
    "brokerage": {
        "aim": "Клиентті қажетті қызметтермен байланыстыру: қызметтердің қолжетімділігін қамтамасыз ету",
        "group": "Қызметке қол жеткізу қиын кез келген клиент: отбасылар, қарттар, жұмыссыздар",
        "role": "Делдал және үйлестіруші: қажеттілікті бағалап, жолдама береді, тікелей көмек көрсетпейді",
        "intensity": "Төмен: айына бір-екі байланыс, көбінесе телефон арқылы",
        "caseload": "Жоғары: бір маманға 50 және одан көп клиент",
        "pros": "Арзан, көп клиентті қамтиды: ресурстар желісін тиімді пайдаланады",
        "limits": "Күрделі қажеттілігі бар клиентке жеткіліксіз: байланыс үстірт болады",
        "fit": "ХҚКО мен аудандық әлеуметтік қызметтер арқылы бірден енгізуге болады: ведомствоаралық үйлестіру керек",
    },
    "clinical": {
        "aim": "Клиенттің психоәлеуметтік жағдайын жақсарту: кеңес беру мен қызметтерді үйлестіруді біріктіру",
        "group": "Психикалық бұзылысы, тәуелділігі бар немесе дағдарыстағы адамдар: жеке терапия қажет жағдайлар",
        "role": "Терапевт және кейс-менеджер: кеңес береді, отбасымен жұмыс істейді, қызметтерді үйлестіреді",
        "intensity": "Орташа немесе жоғары: аптасына бір рет жеке кездесу",
        "caseload": "Орташа: бір маманға 20–30 клиент",
        "pros": "Клиентпен сенімді қарым-қатынас: көмек жеке қажеттілікке бейімделеді",
        "limits": "Жоғары біліктілікті маман керек: қызмет қымбатқа түседі",
        "fit": "Ірі қалаларда ғана мүмкін: клиникалық дайындығы бар әлеуметтік қызметкерлер мен психологтар аз",
    },
    "strengths": {
        "aim": "Клиенттің дербестігін арттыру: оның күшті жақтары мен қоғамдастық ресурстарына сүйену",
        "group": "Психикалық денсаулығы бұзылған ересектер, жастар: мүгедектігі бар адамдар",
        "role": "Серіктес және жаттықтырушы: клиентпен бірге мақсат қояды, оның таңдауын құрметтейді",
        "intensity": "Орташа: аптасына бір рет, көбінесе клиенттің үйінде немесе қоғамдастықта",
        "caseload": "Шағын: бір маманға 12–20 клиент",
        "pros": "Клиенттің уәждемесі мен жауапкершілігі артады: стигма азаяды",
        "limits": "Дағдарыс кезінде жеткіліксіз: нәтижесін өлшеу қиын",
        "fit": "Әлеуметтік кодекстің клиентке бағытталған қағидаттарына сай: мамандарды оқыту керек",
    },
    "intensive": {
        "aim": "Ауыр психикалық бұзылысы бар адамның қоғамда тұруын қамтамасыз ету: ауруханаға түсуді азайту",
        "group": "Ауыр және созылмалы психикалық бұзылысы бар ересектер: жиі ауруханаға түсетіндер",
        "role": "Көпсалалы топтың мүшесі: дәрігер, мейірбике және әлеуметтік қызметкер бірге жұмыс істейді",
        "intensity": "Өте жоғары: күн сайын немесе аптасына бірнеше рет, тәулік бойы байланыс",
        "caseload": "Өте шағын: топтағы бір маманға 10 клиентке дейін",
        "pros": "Ауруханаға түсу мен үйсіздікті азайтатыны дәлелденген: клиент қоғамда қалады",
        "limits": "Ең қымбат модель: көпсалалы топ пен ведомствоаралық келісім қажет",
        "fit": "Психикалық денсаулық орталықтарының жанында пилоттық жоба ретінде: кадр мен қаржы шектеулі",
    },
    "rehabilitation": {
        "aim": "Клиенттің өзі таңдаған ортада өмір сүруіне қажет дағдыларды қалыптастыру: үйде, жұмыста, оқуда",
        "group": "Мүгедектігі бар адамдар: жарақаттан немесе ауыр аурудан кейін оңалып жатқандар",
        "role": "Оңалту маманы: дағдыларды бағалап үйретеді, қоршаған ортаны бейімдейді",
        "intensity": "Орташа: оңалту бағдарламасының кезеңіне қарай өзгереді",
        "caseload": "Орташа: бір маманға 15–25 клиент",
        "pros": "Нақты өмірлік дағдыларға бағытталған: жеке оңалту бағдарламасымен үйлеседі",
        "limits": "Ұзақ уақыт алады: оңалту құралдары мен орталықтарының қолжетімділігіне тәуелді",
        "fit": "Мүгедектігі бар адамдарды оңалтудың жеке бағдарламасымен сәйкес келеді: ауылда қызмет аз",
    },
}
# The SWOT items students draw on, each with the criterion of the comparison it is linked to (kept only by a student
# who compares on that criterion).
SWOT = {
    "strengths": [
        ("Әлеуметтік кодекс арнаулы әлеуметтік қызметтердің жеке бағдарламасын талап етеді", "fit"),
        ("ХҚКО мен аудандық әлеуметтік қызметтердің кең желісі бар", "role"),
        ("Университеттер кейс-менеджмент бойынша мамандар даярлай бастады", ""),
        ("Дағдарыс орталықтары сияқты ҮЕҰ-да кейс-менеджмент тәжірибесі жинақталған", ""),
        ("Отбасыларды қолдаудың мемлекеттік бағдарламалары жұмыс істейді", "group"),
    ],
    "weaknesses": [
        ("Бір әлеуметтік қызметкерге шаққандағы жүктеме жоғары", "caseload"),
        ("Ведомствоаралық ақпарат алмасу әлсіз, деректер базалары біріктірілмеген", ""),
        ("Ауылдық жерлерде мамандар жетіспейді", "fit"),
        ("Әлеуметтік қызметкердің жалақысы төмен, кадр тұрақтамайды", ""),
        ("Қызмет нәтижесін бағалаудың бірыңғай көрсеткіштері жоқ", "aim"),
    ],
    "opportunities": [
        ("Әлеуметтік қызметтерді цифрландыру және кейсті электронды жүргізу", ""),
        ("Халықаралық ұйымдармен бірлескен жобалар мен гранттар", ""),
        ("ҮЕҰ-ға мемлекеттік әлеуметтік тапсырыс көлемінің өсуі", "role"),
        ("Инклюзивті саясат пен мүгедектігі бар адамдарды оңалтуға назардың артуы", "group"),
        ("Мамандардың біліктілігін арттыру курстары мен супервизияны енгізу", "intensity"),
    ],
    "threats": [
        ("Бюджеттік қаржыландырудың тұрақсыздығы", "limits"),
        ("Мамандардың кәсіби күйзелісі және жұмыстан кетуі", "caseload"),
        ("Клиенттердің әлеуметтік қызметтерге сенімсіздігі, стигма", ""),
        ("Ведомстволар арасында жауапкершіліктің нақты бөлінбеуі", ""),
        ("Ауылдағы көлік пен интернет инфрақұрылымының әлсіздігі", "fit"),
    ],
}
QUADRANT_NAMES = {  # as the students' reports name the quadrants, in Kazakh
    "strengths": "Күшті жақтары",
    "weaknesses": "Әлсіз жақтары",
    "opportunities": "Мүмкіндіктер",
    "threats": "Қатерлер",
}
# References a student writes out. Those of the course's reading list are added from it (READING: the start of the
# entry's text); a web page's access date is set a few days before the hand-in.
WRITTEN = {
    "rapp": {"kind": "article", "language": "en", "authors": "Rapp C.A.\nGoscha R.J.", "year": "2004",
             "title": "The principles of effective case management of mental health services",
             "container": "Psychiatric Rehabilitation Journal", "volume": "27", "issue": "4", "pages": "319–333"},
    "ziguras": {"kind": "article", "language": "en", "authors": "Ziguras S.J.\nStuart G.W.", "year": "2000",
                "title": "A meta-analysis of the effectiveness of mental health case management over 20 years",
                "container": "Psychiatric Services", "volume": "51", "issue": "11", "pages": "1410–1421"},
    "code": {"kind": "web", "language": "ru", "year": "2023",
             "title": "Социальный кодекс Республики Казахстан от 20 апреля 2023 года № 224-VII",
             "container": "ИПС «Әділет»", "url": "https://adilet.zan.kz/rus/docs/K2300000224"},
    "nasw": {"kind": "web", "language": "en", "year": "2013",
             "title": "NASW Standards for Social Work Case Management",
             "container": "National Association of Social Workers", "url": "https://www.socialworkers.org"},
    "adilet": {"kind": "web", "language": "kk", "title": "Арнаулы әлеуметтік қызметтер",
               "container": "ИПС «Әділет»", "url": "https://adilet.zan.kz/kaz"},  # no year: a warning, kept
}  # fmt: skip
READING = {
    "sarybaeva": "Сарыбаева",
    "mustafina": "Мустафина",
    "frankel": "Frankel",
    "blundo": "Blundo",
    "dzhamalieva": "Джамалиева",
    "uskembaeva": "Ускембаева",
    "abdikerova": "Әбдікерова",
}

# Who handed in what: models, criteria, items a quadrant (the variant shifts which ones), references, and the
# moments of the hand-ins as (week of the term, weekday with Monday 0, hour), in Almaty time.
WORKS = {
    "student3": (("brokerage", "clinical", "strengths"), ("aim", "group", "role", "intensity", "caseload", "fit"), 2,
                 ("sarybaeva", "mustafina", "frankel", "rapp", "code"), [(5, 2, 20)]),
    "student5": (("strengths", "intensive", "rehabilitation"), tuple(CRITERIA), 3,
                 ("frankel", "blundo", "dzhamalieva", "rapp", "ziguras", "code", "nasw"), [(5, 3, 14)]),
    "student8": (("brokerage", "clinical"), ("aim", "role", "intensity", "pros", "limits"), 2,
                 ("sarybaeva", "abdikerova", "blundo", "code", "adilet"), [(5, 4, 11)]),
    "student10": (("clinical", "intensive", "strengths"), ("aim", "group", "role", "intensity", "caseload", "pros",
                                                            "limits"), 4,
                  ("mustafina", "uskembaeva", "frankel", "ziguras", "rapp", "code"), [(5, 4, 18), (6, 1, 21)]),
    "student12": (("brokerage", "rehabilitation"), ("aim", "group", "role", "caseload", "fit"), 2,
                  ("dzhamalieva", "sarybaeva", "frankel", "nasw", "code"), [(6, 0, 16)]),
    "student15": (("brokerage", "strengths", "intensive"), ("aim", "role", "intensity", "caseload", "limits", "fit"),
                  3, ("uskembaeva", "blundo", "frankel", "rapp", "ziguras", "code"), [(6, 2, 19)]),
    "student19": (("clinical", "strengths"), ("aim", "group", "role", "pros", "limits", "fit"), 2,
                  ("sarybaeva", "mustafina", "abdikerova", "blundo", "code"), [(6, 3, 22)]),
}  # fmt: skip
# Begun and saved, not handed in: the table of three models on four criteria, no SWOT or references yet.
STARTED = {"student1": (("brokerage", "clinical", "strengths"), ("aim", "group", "role", "fit"), (6, 4, 20))}
# Levels on the rubric's criteria (models, table, SWOT, report, references), 1 the best; the last student here is
# graded as a draft; student19 is left to grade (demo.grades leaves it too).
LEVELS = {
    "student3": (1, 2, 1, 2, 1),
    "student5": (1, 1, 1, 1, 2),
    "student8": (2, 3, 2, 3, 3),
    "student10": (1, 1, 2, 1, 1),
    "student12": (2, 2, 3, 2, 2),
    "student15": (2, 1, 2, 2, 1),
}
DRAFT_GRADE = "student15"
COMMENTS = [
    ("Модельдер негізделіп таңдалған, сипаттамасы дереккөздерге сүйенген.",
     "Модельдердің қағидаттарын дереккөзге сілтеме жасап толықтырыңыз."),
    ("Критерийлер мағыналы, кестенің ұяшықтары нақты толтырылған.",
     "Кейбір ұяшықтар жалпылама: модельдердің айырмашылығын нақтырақ көрсетіңіз."),
    ("SWOT Қазақстанның заңнамасы мен әлеуметтік қызметтер жүйесіне сүйенген.",
     "Ішкі және сыртқы факторларды ажыратыңыз: мүмкіндіктер мен қатерлер – сыртқы факторлар."),
    ("Есеп қисынды құрылған, қорытындысы кесте мен SWOT-тан туындайды.",
     "Есептің қорытындысында Қазақстан үшін модельді таңдауды негіздеңіз."),
    ("Әдебиеттер тізімі ГОСТ бойынша дұрыс рәсімделген.",
     "Электрондық ресурстың жылы мен қаралған күнін көрсетіңіз."),
]  # fmt: skip
FEEDBACK = [
    "Өте жақсы талдау: модельдер терең салыстырылған, SWOT нақты, әдебиеттер тізімі дұрыс рәсімделген.",
    "Жақсы жұмыс. Кестенің кейбір ұяшықтарын нақтылап, SWOT-тағы сыртқы факторларды ажыратыңыз.",
    "Жұмыс талапқа сай, бірақ салыстыру үстірт; есепте модельді таңдауды негіздеңіз.",
]


def demo_analysis(*, course):
    """Build, hand in and grade the demo's analytical work of СӨЖ 4.

    Rule: made only while nobody has begun it (no working copy and no hand-in of the task), so loading the demo again
    changes nothing.
    """
    task = course.tasks.filter(label=TASK).first()
    instructor = course.instructors.first()
    if task is None or instructor is None:
        return
    if WorkingCopy.objects.filter(task=task).exists() or Submission.objects.filter(task=task).exists():
        return
    students = {
        enrollment.student.username: enrollment.student
        for enrollment in course.enrollments.select_related("student")
        .filter(student__username__in=[*WORKS, *STARTED])
        .order_by("pk")
    }
    reading = _reading_list(course)
    for variant, (username, (models, criteria, items, references, moments)) in enumerate(WORKS.items()):
        student = students.get(username)
        if student is not None:
            spec = {"models": models, "criteria": criteria, "items": items, "references": references}
            _hand_in(task, student, spec, variant, reading, [_moment(course, when) for when in moments])
    for username, (models, criteria, when) in STARTED.items():
        if username in students:
            values = _form_values({"models": models, "criteria": criteria, "items": 0}, 0, [])
            analysis_save(task=task, student=students[username], values=values, now=_moment(course, when))
    _grade(task, instructor)


def _moment(course, when):
    """The moment of (week, weekday, hour) of the course's term, in Almaty time."""
    week, weekday, hour = when
    day = course.start_date + dt.timedelta(weeks=week - 1, days=weekday)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), timezone.get_default_timezone())


def _reading_list(course):
    """The entries of the course's reading list the demo's students add, by their READING name, as the page's
    "add from the reading list" makes them."""
    found = {}
    for reference in course.references.all():
        for name, start in READING.items():
            if name not in found and reference.text.startswith(start):
                found[name] = reading_list_entry(reference)
    return found


def _references(names, reading, accessed):
    """The references ``names`` picks, each web page's access date ``accessed``."""
    entries = []
    for name in names:
        entry = dict(reading.get(name) or WRITTEN[name])
        if entry.get("url"):
            entry["accessed"] = accessed.isoformat()
        entries.append(entry)
    return entries


def _form_values(spec, variant, references):
    """The analysis as the page's form sends it. The ``variant``-th student starts each quadrant's items ``variant``
    places further along and, when odd, writes each cell only up to its colon."""
    values = {}
    for index, key in enumerate(spec["models"]):
        values |= {f"models-{index}-key": key, f"models-{index}-name": MODELS[key]}
    for index, key in enumerate(spec["criteria"]):
        values |= {f"criteria-{index}-key": key, f"criteria-{index}-name": CRITERIA[key]}
        for model in spec["models"]:
            text = CELLS[model][key]
            values[f"cell-{key}-{model}"] = text.split(":")[0] if variant % 2 else text
    for quadrant, pool in SWOT.items():
        for index in range(spec["items"]):
            text, criterion = pool[(variant + index) % len(pool)]
            values |= {f"{quadrant}-{index}-text": text, f"{quadrant}-{index}-criterion": criterion}
    for index, entry in enumerate(references):
        values |= {f"references-{index}-{field}": value for field, value in entry.items()}
    return values


def _hand_in(task, student, spec, variant, reading, moments):
    """Upload the report and hand in the analysis at each of ``moments``; when there are two, the first version has
    one SWOT item a quadrant fewer."""
    course = task.course
    for number, moment in enumerate(moments, start=1):
        items = spec["items"] - (len(moments) - number)
        references = _references(spec["references"], reading, timezone.localdate(moment) - dt.timedelta(days=3))
        values = _form_values({**spec, "items": items}, variant, references)
        if number == 1:
            report = report_docx(student, spec, references, course.reference_style)
            name = f"Аналитикалық_есеп_{student.last_name}.docx"
            upload = SimpleUploadedFile(name, report)
            draft_add_files(task=task, student=student, uploads=[upload], now=moment - dt.timedelta(hours=1))
        analysis_save(task=task, student=student, values=values, now=moment - dt.timedelta(minutes=30))
        analysis_submit(task=task, student=student, statement_accepted=True, now=moment)


APP_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/></Relationships>'
)
APP_CONTENT_TYPE = (
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
)


def report_docx(student, spec, references, style):
    """The student's analytical report as a small but real Word document: its sections written from their analysis,
    and the statistics Word records on saving (docProps/app.xml: pages and words), as the page shows them.

    Pages are counted as Word lays out such a report: a title page, then about 230 words a page (14 pt, 1.5 lines).
    """
    paragraphs = [
        "Кейс-менеджмент модельдерін салыстырмалы талдау",
        f"Аналитикалық есеп. Орындаған: {student.display_name}.",
        "Кіріспе. Есепте кейс-менеджменттің "
        + ", ".join(MODELS[model][0].lower() + MODELS[model][1:] for model in spec["models"])
        + " салыстырылып, оларды Қазақстанда енгізудің мүмкіндіктері SWOT-талдау арқылы бағаланады.",
    ]
    criteria = spec["criteria"]
    for model in spec["models"]:
        cells = "; ".join(f"{CRITERIA[key].lower()} – {CELLS[model][key].replace(':', ',')}" for key in criteria)
        paragraphs.append(f"{MODELS[model]}. Бұл модельдің сипаттамасы: {cells}.")
    for quadrant, pool in SWOT.items():
        texts = "; ".join(text for text, _criterion in pool[: spec["items"]])
        paragraphs.append(f"{QUADRANT_NAMES[quadrant]}: {texts}.")
    paragraphs.append(
        "Қорытынды. Қазақстан жағдайында брокерлік модель мемлекеттік қызметтер желісінде тез енгізіледі, ал күрделі "
        "жағдайлар үшін күшті жақтарға негізделген немесе қарқынды модельдің элементтері қажет. Мамандарды даярлау, "
        "жүктемені азайту және ведомствоаралық үйлестіру – табысты енгізудің шарттары."
    )
    paragraphs += ["Пайдаланылған әдебиеттер", *formatted_references(references, style=style)]
    words = sum(count_words(text) for text in paragraphs)
    return _docx(paragraphs, pages=1 + math.ceil(words / 230), words=words)


def _docx(paragraphs, *, pages, words):
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>' for text in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>Microsoft Office Word</Application><Pages>{pages}</Pages><Words>{words}</Words>"
        "</Properties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES.replace("</Types>", APP_CONTENT_TYPE + "</Types>"))
        archive.writestr("_rels/.rels", APP_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("docProps/app.xml", app)
    return buffer.getvalue()


def _grade(task, instructor):
    """Grade the latest version of each student in LEVELS with the task's rubric; release all but DRAFT_GRADE."""
    if task.rubric_id is None:
        return
    criteria = list(task.rubric.criteria.prefetch_related("levels"))
    versions = (
        Version.objects.filter(submission__task=task, submission__student__username__in=LEVELS, is_latest=True)
        .select_related("submission__student")
        .order_by("submission__student__username")
    )
    for index, version in enumerate(versions):
        username = version.submission.student.username
        levels = LEVELS[username]
        picks = []
        for position in range(len(criteria)):
            level = levels[position % len(levels)]
            comment = COMMENTS[position % len(COMMENTS)][level > 1]
            picks.append((level, LEVEL_SHARES[level][(index + position) % 4], comment))
        grade = grade_save(
            version=version,
            grader=instructor,
            expected_lock_version=0,
            scores=rubric_scores(criteria, picks),
            feedback=FEEDBACK[min(round(sum(levels) / len(levels)) - 1, len(FEEDBACK) - 1)],
        )
        if username != DRAFT_GRADE:
            grade_release(grade=grade, by=instructor, notify=False)
