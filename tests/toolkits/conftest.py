"""СӨЖ 3 of the cast's course (the assessment toolkit, due in week 14), the form values of a toolkit that passes every
check — four social-history criteria, a questionnaire of five items and a rating scale of four items from 1 to 5 —
and a presentation made as a real pptx."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pptx import Presentation

from portfolio import services as portfolio_services
from portfolio.models import Version
from toolkits import services

# A moment of the cast's term before СӨЖ 3 is due (the end of week 14, early December 2025).
WORKING = timezone.make_aware(dt.datetime(2025, 11, 20, 12, 0))

CRITERIA = [
    ("Отбасылық жағдайы", "Отбасының құрамы, ондағы қарым-қатынас және қолдау"),
    ("Денсаулығы", "Дене және психикалық денсаулығы, өзіне-өзі қызмет көрсету қабілеті"),
    ("Тұрмыс жағдайы", "Тұрғын үйі, табыс көздері және күнделікті қажеттіліктері"),
    ("Әлеуметтік байланыстары", "Туыстарымен, көршілерімен және қауымдастықпен байланысы"),
]
# (key, text, criterion, answer, options)
QUESTIONS = [
    ("q0", "Сіз кіммен бірге тұрасыз?", "c0", "one_choice", "Жалғыз\nЖұбайыммен\nБалаларыммен\nБасқа туыстарыммен"),
    ("q1", "Соңғы жылы қандай аурулармен ауырдыңыз?", "c1", "open", ""),
    ("q2", "Айлық табысыңыз қанша (теңге)?", "c2", "number", ""),
    ("q3", "Сізге қандай әлеуметтік қызметтер көрсетіледі?", "c2", "several_choices",
     "Үйде күтім\nТегін ыстық тамақ\nЗейнетақыға үстеме"),
    ("q4", "Көршілеріңізбен араласасыз ба?", "c3", "yes_no", ""),
]  # fmt: skip
# (key, text, criterion): each a scale from 1 "never" to 5 "always".
SCALE_ITEMS = [
    ("s0", "Өзімді жалғыз сезінемін", "c3"),
    ("s1", "Отбасым маған көмектеседі", "c0"),
    ("s2", "Күнделікті істерімді өзім атқарамын", "c1"),
    ("s3", "Тұрмыс жағдайым мені қанағаттандырады", "c2"),
]


@pytest.fixture
def toolkit_task(cast):
    """СӨЖ 3: the final project, an assessment toolkit defended with a presentation."""
    return cast.tasks["СӨЖ 3"]


def toolkit_values(**changes):
    """The form values of a toolkit that passes every check; ``changes`` replace or add values."""
    values = {"category": "elderly", "category_other": ""}
    for index, (name, definition) in enumerate(CRITERIA):
        values |= {
            f"criteria-{index}-key": f"c{index}",
            f"criteria-{index}-name": name,
            f"criteria-{index}-definition": definition,
        }
    values |= {
        "instruments-0-key": "i0",
        "instruments-0-type": "questionnaire",
        "instruments-0-title": "Қарт адамның әлеуметтік тарихы: сауалнама",
        "instruments-0-purpose": "Клиенттің отбасы, денсаулығы және тұрмысы туралы негізгі мәліметтерді жинау",
        "instruments-0-instructions": "Сұрақтарды клиентке ретімен оқып беріп, жауабын сол жерде белгілеңіз.",
    }
    for index, (key, text, criterion, answer, options) in enumerate(QUESTIONS):
        prefix = f"instruments-0-items-{index}"
        values |= {
            f"{prefix}-key": key,
            f"{prefix}-text": text,
            f"{prefix}-criterion": criterion,
            f"{prefix}-answer": answer,
            f"{prefix}-options": options,
            f"{prefix}-scale_from": "",
            f"{prefix}-scale_to": "",
        }
    values |= {
        "instruments-1-key": "i1",
        "instruments-1-type": "rating_scale",
        "instruments-1-title": "Өмір сүру сапасын бағалау шкаласы",
        "instruments-1-purpose": "Клиенттің өз жағдайын қалай бағалайтынын өлшеу",
        "instruments-1-instructions": "Әр тұжырымды оқып, клиент таңдаған санды дөңгелектеңіз.",
    }
    for index, (key, text, criterion) in enumerate(SCALE_ITEMS):
        prefix = f"instruments-1-items-{index}"
        values |= {
            f"{prefix}-key": key,
            f"{prefix}-text": text,
            f"{prefix}-criterion": criterion,
            f"{prefix}-answer": "scale",
            f"{prefix}-options": "",
            f"{prefix}-scale_from": "1",
            f"{prefix}-scale_to": "5",
            f"{prefix}-anchor-1": "ешқашан",
            f"{prefix}-anchor-2": "",
            f"{prefix}-anchor-3": "кейде",
            f"{prefix}-anchor-4": "",
            f"{prefix}-anchor-5": "әрқашан",
        }
    values.update(changes)
    return values


def make_pptx(titles):
    """The bytes of a real presentation: one slide per title, the title in the slide's title placeholder."""
    deck = Presentation()
    for title in titles:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
        slide.shapes.title.text = title
    stream = io.BytesIO()
    deck.save(stream)
    return stream.getvalue()


def pptx_upload(name="қорғау.pptx", titles=("Бағалау құралдарының жиынтығы", "Критерийлер", "Қорытынды")):
    """A presentation as a browser uploads it."""
    return SimpleUploadedFile(name, make_pptx(titles))


def hand_in_toolkit(task, student, moment=WORKING, **changes):
    """Hand in a complete toolkit as the page does: the presentation uploaded, the working copy saved, then handed
    in. Each call hands in a toolkit that differs from the one before, so it always makes a new version."""
    versions = Version.objects.filter(submission__task=task, submission__student=student).count()
    if not versions:
        portfolio_services.draft_add_files(task=task, student=student, uploads=[pptx_upload()], now=moment)
    purpose = f"Клиенттің отбасы, денсаулығы және тұрмысы туралы мәліметтер ({versions + 1})"
    values = toolkit_values(**{"instruments-0-purpose": purpose, **changes})
    services.toolkit_save(task=task, student=student, values=values, now=moment)
    return services.toolkit_submit(task=task, student=student, statement_accepted=True, now=moment)
