from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from portfolio.models import ClientCategory, Cost, OrganisationType, Region, RepositoryRow

# Labels by value, looked up once per cell: ``get_FOO_display`` hashes every lazy label of the field's choices on
# each call, which for twenty entries of a page costs more than the page's queries.
TYPE_LABELS = dict(OrganisationType.choices)
CATEGORY_LABELS = dict(ClientCategory.choices)
REGION_LABELS = dict(Region.choices)
COST_LABELS = dict(Cost.choices)


class EntryQuerySet(models.QuerySet):
    def of_department(self, department_id):
        return self.filter(department_id=department_id)

    def shown(self):
        """What students see: every entry no instructor has hidden."""
        return self.filter(is_hidden=False)

    def in_category(self, category):
        return self.filter(categories__category=category)


class Entry(models.Model):
    """One organisation in one city in a department's directory of social services, merged from the valid rows of
    every student's latest handed-in service repository (``Listing`` links the rows).

    Every field but the hiding is derived from the rows by ``directory.services`` whenever a hand-in touches the
    entry; an entry left without rows is deleted. ``key`` is the merge key (``directory.text.merge_key``) and
    ``search_text`` the folded text a search compares: both are computed in Python, so SQLite, which does not fold
    Cyrillic case, compares them as they are.
    """

    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="directory_entries"
    )
    key = models.CharField(_("merge key"), max_length=450, editable=False)
    name = models.CharField(_("organisation"), max_length=300)
    organisation_type = models.CharField(_("organisation type"), max_length=20, choices=OrganisationType.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    city = models.CharField(_("city or settlement"), max_length=120)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phones = models.CharField(_("phones"), max_length=200, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, blank=True)
    hours = models.CharField(_("working hours"), max_length=200, blank=True)
    services = models.TextField(_("services offered"))
    eligibility = models.TextField(_("who is eligible"), blank=True)
    student_count = models.PositiveIntegerField(_("students who listed it"), default=0)
    checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    # A student who added the organisation for their institution report, when no repository row listed it: such an
    # entry stays in the directory when it has no rows.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    search_text = models.TextField(_("search text"), editable=False)
    # The folded names and city alone: short, so that PostgreSQL's trigram match of a misspelt name stays cheap.
    name_text = models.TextField(_("search name"), editable=False, default="")
    # PostgreSQL only (written by directory.services, GIN-indexed by migration 0002); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-student_count", "key"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints = [
            models.UniqueConstraint(fields=["department", "key"], name="directory_entry_unique_key"),
            models.CheckConstraint(
                condition=models.Q(is_hidden=True) | models.Q(hidden_at__isnull=True), name="directory_entry_hidden_at"
            ),
        ]
        indexes = [
            # The list's order, and (with ``is_hidden``) a count of what students see without reading the table.
            models.Index(fields=["department", "is_hidden", "-student_count", "key"], name="directory_entry_listing"),
            # The filters, so that counting what they find reads this index alone (``id`` for the category's join).
            models.Index(
                fields=["department", "is_hidden", "region", "organisation_type", "cost", "id"],
                name="directory_entry_filters",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    @property
    def type_label(self):
        return TYPE_LABELS.get(self.organisation_type, self.organisation_type)

    @property
    def region_label(self):
        return REGION_LABELS.get(self.region, self.region)

    @property
    def cost_label(self):
        return COST_LABELS.get(self.cost, self.cost)

    @property
    def phone_list(self):
        return [phone for phone in self.phones.split(", ") if phone]

    @property
    def service_list(self):
        return [line for line in self.services.splitlines() if line]

    @property
    def eligibility_list(self):
        return [line for line in self.eligibility.splitlines() if line]

    @property
    def website_url(self):
        """The website as a link: an address typed without its scheme gets https://."""
        if not self.website:
            return ""
        return self.website if self.website.lower().startswith(("http://", "https://")) else f"https://{self.website}"


class EntryCategory(models.Model):
    """A client category an entry serves: one of the categories its rows were listed under."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("directory entry"), on_delete=models.CASCADE, related_name="categories"
    )
    category = models.CharField(_("client category"), max_length=30, choices=ClientCategory.choices)

    class Meta:
        ordering = ["entry", "category"]
        verbose_name = _("client category of an entry")
        verbose_name_plural = _("client categories of entries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "category"], name="directory_category_unique"),
        ]
        indexes = [models.Index(fields=["category", "entry"], name="directory_category_lookup")]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return CATEGORY_LABELS.get(self.category, self.category)


class Listing(models.Model):
    """A valid repository row counted in a directory entry. Only rows of latest handed-in versions are listed: the
    rows of a version come in when it is handed in and leave when a newer version replaces it."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("directory entry"), on_delete=models.CASCADE, related_name="listings"
    )
    row = models.OneToOneField(
        RepositoryRow, verbose_name=_("repository row"), on_delete=models.CASCADE, related_name="directory_listing"
    )

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")

    def __str__(self):
        return f"{self.entry} ← {self.row_id}"


class InstitutionReport(models.Model):
    """The institution a student studies for an institution report (СОӨЖ 4-5): one directory entry per student and
    task, changed until the task's cut-off. An entry with reports stays in the directory when it has no rows."""

    task = models.ForeignKey(
        "coursework.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="institution_reports"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="institution_reports",
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("directory entry"), on_delete=models.PROTECT, related_name="institution_reports"
    )
    chosen_at = models.DateTimeField(_("chosen at"))

    class Meta:
        ordering = ["task", "student"]
        verbose_name = _("institution of a report")
        verbose_name_plural = _("institutions of reports")
        constraints = [
            models.UniqueConstraint(fields=["task", "student"], name="directory_institution_unique_student"),
        ]

    def __str__(self):
        return f"{self.student} → {self.entry}"
