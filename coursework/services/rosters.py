"""The roster import: a registrar's list of students planned row by row against the database, then applied.

Rules:
- Nothing is written before the department admin has seen the plan. Each row of the file becomes one of: a new
  account to create and enrol, an existing account to enrol, a student already enrolled (nothing to do), a
  student whose academic group changes, or an error with its reasons. The plan is kept in ``RosterImport.rows``
  with reasons as codes and parameters, so that the preview speaks the language of whoever reads it.
- A person is recognised by their student ID. An ID that belongs to an account that is not a student's, an
  e-mail address that belongs to another person, and an ID or e-mail address written twice in the file are
  errors; so are a missing name, ID or group, a malformed e-mail address and an unknown language.
- Applying plans the rows again against the database as it is then. While any row has an error nothing is
  written (the admin corrects the file and uploads it again); otherwise every row is written in one
  transaction, and an import is applied at most once. A file applied once finds everyone enrolled the second
  time and changes nothing.
- A new account has no usable password. Its owner gets an e-mail in their preferred language with a link to set
  one (Django's password reset), sent once the transaction has committed.
- The number of queries does not depend on the number of rows: lookups take whole sets, writes are bulk.
"""

import itertools
import re
import secrets
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Language, Role, User
from coursework.models import Enrollment, RosterImport

MAX_NAME_PART = 150  # User.first_name, last_name and middle_name
MAX_NUMBER = 30  # User.student_number
MAX_GROUP = 30  # Enrollment.academic_group
MAX_EMAIL = 254
SHOWN_LINES = 5  # other lines named by a reason about a repeated ID or e-mail address
SUBJECT_TEMPLATE = "registration/set_password_email_subject.txt"
BODY_TEMPLATE = "registration/set_password_email.txt"


class Outcome(models.TextChoices):
    """What applying a row does; the preview lists the rows in this order."""

    ERROR = "error", gettext_lazy("Error")
    NEW = "new", gettext_lazy("New account and enrolment")
    ENROL = "enrol", gettext_lazy("Enrolment of an existing account")
    GROUP = "group", gettext_lazy("Change of group")
    ENROLLED = "enrolled", gettext_lazy("Already on the roster")


CHANGES = (Outcome.NEW, Outcome.ENROL, Outcome.GROUP)
INPUT_KEYS = ("line", "name", "number", "group", "email", "language")
# The reasons that depend on the database rather than on the row itself: only they can change before applying.
DATABASE_REASONS = ("number_not_student", "email_taken")


# Letters and digits, in pieces joined by a hyphen, a slash or a dot: 201945001, 21B030123, ЖТ-2023/15.
NUMBER = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)*")

# The reasons a row cannot be imported, by code; rows keep the code and its parameters (see ``reason_text``).
REASONS = {
    "name_missing": gettext_lazy("The full name is missing."),
    "name_incomplete": gettext_lazy("Write the surname and the given name (and the patronymic, if any)."),
    "name_too_long": gettext_lazy("A part of the name is longer than %(limit)s characters."),
    # What Excel writes for Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І when it saves a CSV in Windows-1251.
    "name_mangled": gettext_lazy(
        "The name has “?” in place of letters: the file was saved without the Kazakh letters. Save it as .xlsx or as "
        "“CSV UTF-8”."
    ),
    "number_missing": gettext_lazy("The student ID is missing."),
    "number_invalid": gettext_lazy(
        "The student ID “%(number)s” is not valid: use up to %(limit)s letters and digits (a hyphen, slash or dot "
        "between them is allowed)."
    ),
    "number_repeated": gettext_lazy("The same student ID is on another line too: %(lines)s."),
    "number_not_student": gettext_lazy("This student ID belongs to %(name)s, whose account is not a student's."),
    "group_missing": gettext_lazy("The academic group is missing."),
    "group_too_long": gettext_lazy("The academic group is longer than %(limit)s characters."),
    "email_missing": gettext_lazy("The e-mail address is missing."),
    "email_invalid": gettext_lazy("“%(email)s” is not a valid e-mail address."),
    "email_repeated": gettext_lazy("The same e-mail address is on another line too: %(lines)s."),
    "email_taken": gettext_lazy("This e-mail address belongs to another person's account (%(name)s)."),
    "language_unknown": gettext_lazy("Unknown language “%(language)s”: write kk, ru or en, or leave it empty."),
}


def reason_text(reason):
    """A stored reason (its code and parameters) as a sentence in the active language."""
    return str(REASONS[reason["code"]]) % reason["params"]


def outcome_counts(rows):
    """How many rows of a plan have each outcome, for every outcome."""
    counts = dict.fromkeys(Outcome.values, 0)
    for row in rows:
        counts[row["outcome"]] += 1
    return counts


def name_parts(name):
    """Split a full name, surname first, into (last_name, first_name, middle_name); a patronymic may take two words."""
    parts = name.split(" ")
    return parts[0], (parts[1] if len(parts) > 1 else ""), " ".join(parts[2:])


# Planning ---------------------------------------------------------------------------------------------------


def _reason(code, **params):
    return {"code": code, "params": params}


def _tidy(row):
    """A row's values as they will be stored (no stray spaces, ID in capitals, address in lower case), and the
    reasons it cannot be imported that the row shows on its own."""
    name = " ".join(row["name"].replace(",", " ").split())
    number = "".join(row["number"].split()).upper()
    group = " ".join(row["group"].split())
    email = row["email"].strip().lower()
    language = row["language"].strip()
    errors = []
    if not name:
        errors.append(_reason("name_missing"))
    elif " " not in name:
        errors.append(_reason("name_incomplete"))
    elif "?" in name:
        errors.append(_reason("name_mangled"))
    elif any(len(part) > MAX_NAME_PART for part in name_parts(name)):
        errors.append(_reason("name_too_long", limit=MAX_NAME_PART))
    if not number:
        errors.append(_reason("number_missing"))
    elif len(number) > MAX_NUMBER or not NUMBER.fullmatch(number):
        errors.append(_reason("number_invalid", number=number[:60], limit=MAX_NUMBER))
    if not group:
        errors.append(_reason("group_missing"))
    elif len(group) > MAX_GROUP:
        errors.append(_reason("group_too_long", limit=MAX_GROUP))
    if not email:
        errors.append(_reason("email_missing"))
    elif len(email) > MAX_EMAIL or not _is_email(email):
        errors.append(_reason("email_invalid", email=email[:80]))
    if language not in Language.values and language:
        errors.append(_reason("language_unknown", language=language[:40]))
    return {
        "line": row["line"],
        "name": name,
        "number": number,
        "group": group,
        "email": email,
        "language": language,
        "outcome": Outcome.ERROR if errors else "",
        "errors": errors,
        "user": None,
    }


def _is_email(text):
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _mark_repeats(rows, key, code):
    """Every row whose ``key`` is also on another line is an error: which of them is right, only the file knows.

    A reason names up to SHOWN_LINES other lines, so that a value repeated on every line costs no more than that.
    """
    lines = {}
    for row in rows:
        if row[key]:
            lines.setdefault(row[key], []).append(row["line"])
    for row in rows:
        same = lines.get(row[key], ())
        if len(same) > 1:
            others = [str(line) for line in same[: SHOWN_LINES + 1] if line != row["line"]][:SHOWN_LINES]
            if len(same) - 1 > SHOWN_LINES:
                others.append("…")
            row["errors"].append(_reason(code, lines=", ".join(others)))


def _usernames(rows):
    """A free username for each new account: the student ID, with "-2", "-3"… when someone already has it."""
    wanted = {row["line"]: row["number"].replace("/", "-") for row in rows}
    taken = set(User.objects.filter(username__in=set(wanted.values())).values_list("username", flat=True))
    clashes = {base for base in wanted.values() if base in taken}
    if clashes:
        spares = [f"{base}-{n}" for base in clashes for n in range(2, 20)]
        taken |= set(User.objects.filter(username__in=spares).values_list("username", flat=True))
    for row in rows:
        base = wanted[row["line"]]
        username, n = base, 1
        while username in taken:
            n += 1
            username = f"{base}-{n}"
        taken.add(username)
        row["username"] = username


def roster_plan(*, course, inputs):
    """What applying ``inputs`` (rows as read from a file) to the course's roster would do, row by row.

    Reads the database (a fixed number of queries, whatever the number of rows) and writes nothing.
    """
    rows = [_tidy(row) for row in inputs]
    _mark_repeats(rows, "number", "number_repeated")
    _mark_repeats(rows, "email", "email_repeated")
    _match(course, rows)
    return rows


def _replan(course, rows):
    """A stored plan planned again against the database: what a row says on its own cannot have changed."""
    fresh = [
        {
            **{key: row[key] for key in INPUT_KEYS},
            "errors": [reason for reason in row["errors"] if reason["code"] not in DATABASE_REASONS],
            "user": None,
        }
        for row in rows
    ]
    _match(course, fresh)
    return fresh


def _match(course, rows):
    """Each row's outcome, given the accounts and the enrolments in the database."""
    numbers = {row["number"] for row in rows if row["number"]}
    emails = {row["email"] for row in rows if row["email"]}
    fields = ("id", "username", "first_name", "last_name", "middle_name", "role", "email", "student_number")
    by_number = {user.student_number: user for user in User.objects.filter(student_number__in=numbers).only(*fields)}
    owners = {}
    for user in User.objects.annotate(address=Lower("email")).filter(address__in=emails).only(*fields):
        owners.setdefault(user.address, []).append(user)
    groups = dict(Enrollment.objects.filter(course=course).values_list("student_id", "academic_group"))
    for row in rows:
        user = by_number.get(row["number"])
        if user is not None and user.role != Role.STUDENT:
            row["errors"].append(_reason("number_not_student", name=user.display_name))
        others = [owner for owner in owners.get(row["email"], ()) if owner != user]
        if others:
            row["errors"].append(_reason("email_taken", name=others[0].display_name))
        if row["errors"]:
            row["outcome"] = Outcome.ERROR
        elif user is None:
            row["outcome"] = Outcome.NEW
        else:
            row["user"] = user.pk
            previous = groups.get(user.pk)
            row["previous_group"] = previous
            if previous is None:
                row["outcome"] = Outcome.ENROL
            else:
                row["outcome"] = Outcome.ENROLLED if previous == row["group"] else Outcome.GROUP
    _usernames([row for row in rows if row["outcome"] == Outcome.NEW])


@transaction.atomic
def roster_import_create(*, course, file_name, inputs, uploaded_by):
    """Plan the rows of an uploaded file and keep the plan for the preview; nothing else is written."""
    rows = roster_plan(course=course, inputs=inputs)
    return RosterImport.objects.create(course=course, file_name=file_name[:255], rows=rows, uploaded_by=uploaded_by)


# Applying ---------------------------------------------------------------------------------------------------


def roster_import_apply(*, roster_import, applied_by):
    """Write the plan of an import in one transaction, having planned its rows again against the database.

    Refused (ValidationError) when the import was applied already, or when any row has an error: then only the
    fresh plan is kept, so that the preview shows what is wrong now. Returns the outcome counts written.
    """
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().select_related("course__department").get(pk=roster_import.pk)
        if locked.applied_at is not None:
            raise ValidationError(_("This import has already been applied."), code="applied")
        rows = _replan(locked.course, locked.rows)
        counts = outcome_counts(rows)
        if not counts[Outcome.ERROR]:
            _write(locked.course, rows)
            locked.applied_at, locked.applied_by = timezone.now(), applied_by
        locked.rows = rows
        locked.save(update_fields=["rows", "applied_at", "applied_by"])
    if counts[Outcome.ERROR]:
        raise ValidationError(
            ngettext(
                "Nothing was written: %(count)s row has an error. Correct the file and upload it again.",
                "Nothing was written: %(count)s rows have errors. Correct the file and upload it again.",
                counts[Outcome.ERROR],
            ),
            code="row_errors",
            params={"count": counts[Outcome.ERROR]},
        )
    return counts


def _write(course, rows):
    """Create the new accounts, enrol, move students between groups; mail the set-password links on commit."""
    new_rows = [row for row in rows if row["outcome"] == Outcome.NEW]
    users = [_new_account(course, row) for row in new_rows]
    try:
        with transaction.atomic():
            User.objects.bulk_create(users)
            for row, user in zip(new_rows, users, strict=True):
                row["user"] = user.pk
            Enrollment.objects.bulk_create(
                Enrollment(course=course, student_id=row["user"], academic_group=row["group"])
                for row in rows
                if row["outcome"] in (Outcome.NEW, Outcome.ENROL)
            )
            moves = sorted((row["group"], row["user"]) for row in rows if row["outcome"] == Outcome.GROUP)
            for group, moved in itertools.groupby(moves, key=lambda move: move[0]):
                students = [student for _group, student in moved]
                Enrollment.objects.filter(course=course, student_id__in=students).update(academic_group=group)
    except IntegrityError as error:
        # Another import or an edit in the admin took the same student ID or enrolment a moment ago.
        raise ValidationError(
            _("The roster or these accounts changed while the import was written; nothing was written. Try again."),
            code="conflict",
        ) from error
    transaction.on_commit(partial(_send_set_password_links, users, course), robust=True)


def _new_account(course, row):
    last_name, first_name, middle_name = name_parts(row["name"])
    user = User(
        username=row["username"],
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        email=row["email"],
        student_number=row["number"],
        preferred_language=row["language"],
        role=Role.STUDENT,
        department=course.department,
    )
    # As set_unusable_password() does, with one call for randomness instead of forty (5,000 accounts: 10 ms, not 0.6 s).
    user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20)
    return user


# The set-password e-mail -------------------------------------------------------------------------------------


def set_password_link(user):
    """The address where ``user`` sets a password (Django's password reset), valid until a password is set."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def set_password_link_resend(*, course, student):
    """Send a student of the course's roster a new set-password link, for one who has not set a password yet.

    Refused (ValidationError) when they have set one already (they change it themselves) or have no e-mail address.
    The earlier links keep working until a password is set.
    """
    if student.has_usable_password():
        raise ValidationError(
            _("%(name)s has already set a password.") % {"name": student.display_name}, code="has_password"
        )
    if not student.email:
        raise ValidationError(
            _("%(name)s has no e-mail address on record.") % {"name": student.display_name}, code="no_email"
        )
    _send_set_password_links([student], course)


def _send_set_password_links(users, course):
    """One e-mail to each new account, in its preferred language (Kazakh when none is given), on one connection."""
    messages = []
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
    by_language = itertools.groupby(sorted(users, key=_language_of), key=_language_of)
    for language, speakers in by_language:
        with translation.override(language):
            subject = " ".join(get_template(SUBJECT_TEMPLATE).render({"course": course}).split())
            body = get_template(BODY_TEMPLATE)
            for user in speakers:
                context = {"user": user, "course": course, "link": set_password_link(user), "days": days}
                messages.append(EmailMessage(subject, body.render(context), to=[user.email]))
    with get_connection() as connection:
        connection.send_messages(messages)


def _language_of(user):
    return user.preferred_language or Language.KAZAKH
