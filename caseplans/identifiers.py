"""What looks like a way to identify a real client in a text: an ИИН/ЖСН, a phone number, an e-mail, an address.

A case is written de-identified. The vignette editor warns on all four; a plan cannot be handed in with the first
three (the ethics statement, enforced) — an address is too easy to mistake ("ул." in a sentence), so it only warns.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Twelve digits standing alone: the individual identification number (ИИН, ЖСН in Kazakh). Spaces are allowed
# between groups of digits, as people copy them from documents.
_IIN = re.compile(r"(?<![\d+])(?:\d[ \u00a0]?){11}\d(?!\d)")
# A Kazakhstan mobile or landline number: +7 or 8, then ten digits, with the usual separators.
_PHONE = re.compile(
    r"(?<![\d])(?:\+\s?7|8)[\s\-(\u00a0]*\d{3}[\s\-)\u00a0]*\d{3}[\s\-\u00a0]*\d{2}[\s\-\u00a0]*\d{2}(?!\d)"
)
# Only from the start of a run of name characters: tried at every letter of a long word, the name part would run to
# its end each time, and a text of 240,000 letters took minutes.
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# A street, avenue or flat followed by a name or a number: "Абай даңғылы 12", "ул. Толе би, 45", "кв. 7".
_ADDRESS = re.compile(
    r"\b(?:көшесі|даңғылы|шағын\s?ауданы|ықшамауданы|пәтер|ул\.|улица|пр\.|проспект|мкр\.?|микрорайон|кв\.|"
    r"квартира|street|avenue|apartment|apt\.)[^\n\d]{0,30}\d+"
    r"|\b\d+\s*[-–]?\s*(?:пәтер|кв\.)",
    re.IGNORECASE,
)


class Kind:
    IIN = "iin"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


LABELS = {
    Kind.IIN: _("an ИИН/ЖСН (twelve digits)"),
    Kind.PHONE: _("a phone number"),
    Kind.EMAIL: _("an e-mail address"),
    Kind.ADDRESS: _("an address"),
}

# What a plan may not hold when it is handed in.
FORBIDDEN_IN_PLAN = (Kind.IIN, Kind.PHONE, Kind.EMAIL)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def shown(self):
        """The finding with its middle hidden, so a warning does not repeat the number it warns about."""
        text = self.text.strip()
        return text if len(text) <= 4 else f"{text[:2]}…{text[-2:]}"


def personal_data(text, kinds=(Kind.IIN, Kind.PHONE, Kind.EMAIL, Kind.ADDRESS)):
    """The pieces of ``text`` that look like personal data of the kinds asked for, in order of appearance."""
    found = []
    taken = []
    patterns = {Kind.EMAIL: _EMAIL, Kind.PHONE: _PHONE, Kind.IIN: _IIN, Kind.ADDRESS: _ADDRESS}
    # An e-mail first and a phone before an ИИН, so the digits of one are not reported again as another.
    for kind in (Kind.EMAIL, Kind.PHONE, Kind.IIN, Kind.ADDRESS):
        if kind not in kinds:
            continue
        for match in patterns[kind].finditer(text or ""):
            span = match.span()
            if any(start < span[1] and span[0] < end for start, end in taken):
                continue
            taken.append(span)
            found.append((span[0], Finding(kind, match.group(0))))
    return [finding for _start, finding in sorted(found, key=lambda pair: pair[0])]
