from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from coursework.models.tasks import Task


class SlotKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    DEFENCE = "defence", _("Defence")


class SlotQuerySet(models.QuerySet):
    def with_booked_count(self):
        return self.annotate(booked_count=Count("bookings"))


class Slot(models.Model):
    """A consultation or defence time an instructor publishes for a task; students book a seat in it."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="slots")
    kind = models.CharField(_("kind"), max_length=20, choices=SlotKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place or link"), max_length=500, help_text=_("A room, or a link to an online meeting."))
    capacity = models.PositiveSmallIntegerField(_("seats"), default=1, validators=[MinValueValidator(1)])
    booking_closes_at = models.DateTimeField(
        _("booking closes"), help_text=_("Students book and cancel until this moment.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.CheckConstraint(
                condition=Q(booking_closes_at__lte=F("starts_at")), name="slot_booking_closes_first"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.task.label} {self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A slot must end after it starts.")})
        if self.starts_at and self.booking_closes_at and self.booking_closes_at > self.starts_at:
            raise ValidationError({"booking_closes_at": _("Booking must close before the slot starts.")})

    def is_open(self, now):
        """Whether students may still book or cancel a seat."""
        return now <= self.booking_closes_at


class Attendance(models.TextChoices):
    UNMARKED = "", _("Not marked")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class Booking(models.Model):
    """A student's seat in a slot, and whether they came."""

    slot = models.ForeignKey(Slot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="bookings")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="bookings",
        limit_choices_to={"role": Role.STUDENT},
    )
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["slot", "booked_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(fields=["slot", "student"], name="booking_unique_student"),
        ]

    def __str__(self):
        return f"{self.slot} — {self.student}"
