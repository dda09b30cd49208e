"""Forms of the rubric editor: the rubric, its criteria and each criterion's levels on one page.

The page posts the rubric's fields (prefix ``rubric``), one formset of criteria (prefix ``criteria``)
and, for criterion form N, one formset of its levels (prefix ``c<N>-levels``). The forms check what
was typed; grading.rubric_services.rubric_save writes it.
"""

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.forms import capped_formfield
from grading.models import Criterion, Level, Rubric
from grading.services.rubrics import CRITERION_FIELDS, LEVEL_FIELDS

CRITERIA_PREFIX = "criteria"
# Placeholders in the blank criterion and level that static/js/rubric_editor.js clones.
CRITERION_SLOT = "__criterion__"
LEVEL_SLOT = "__level__"
# Blank rows, so that a rubric can be written without JavaScript.
NEW_RUBRIC_CRITERIA = 2
NEW_CRITERION_LEVELS = 3
MIN_LEVELS = 2
# The most rows the page takes, whatever count the form claims: without a bound, Django builds up to 2,000 forms of
# criteria, each with up to 2,000 levels, before any check (a request that stalls a worker).
MAX_CRITERIA = 30
MAX_LEVELS = 12


def levels_prefix(index):
    return f"c{index}-levels"


class RubricForm(forms.ModelForm):
    # When the rubric was last saved as the editor saw it, so that a second editor's save is not lost silently.
    seen_updated_at = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    class Meta:
        model = Rubric
        fields = ["title", "title_ru", "title_en", "weight_note", "weight_note_ru", "weight_note_en", "holistic_scale"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holistic_scale"].empty_label = _("No holistic scale")
        for name in ("weight_note", "weight_note_ru", "weight_note_en"):
            self.fields[name].widget.attrs["aria-describedby"] = "weight-note-help"  # the page's note on the three
        if self.instance.updated_at:
            self.fields["seen_updated_at"].initial = self.instance.updated_at.isoformat()


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = list(CRITERION_FIELDS)


def _percent_input():
    return forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"})


class LevelForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = list(LEVEL_FIELDS)
        formfield_callback = capped_formfield
        widgets = {
            "descriptor": forms.Textarea(attrs={"rows": 2}),
            "descriptor_ru": forms.Textarea(attrs={"rows": 2}),
            "descriptor_en": forms.Textarea(attrs={"rows": 2}),
            "min_percent": _percent_input(),
            "max_percent": _percent_input(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "20", not "20.00", in the inputs.
        for name in ("min_percent", "max_percent"):
            value = self.initial.get(name)
            if value is not None:
                self.initial[name] = value.quantize(1) if value == value.to_integral_value() else value.normalize()

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_percent"), cleaned.get("max_percent")
        if low is not None and high is not None and low > high:
            self.add_error("max_percent", _("“To %” must not be below “from %”."))
        return cleaned


def _criteria_formset(extra):
    return inlineformset_factory(
        Rubric,
        Criterion,
        form=CriterionForm,
        extra=extra,
        can_delete=True,
        max_num=MAX_CRITERIA,
        absolute_max=MAX_CRITERIA,
        validate_max=True,
    )


def _levels_formset(extra):
    return inlineformset_factory(
        Criterion,
        Level,
        form=LevelForm,
        extra=extra,
        can_delete=True,
        max_num=MAX_LEVELS,
        absolute_max=MAX_LEVELS,
        validate_max=True,
    )


def _removed(form):
    """Marked for removal; read from the input, so it works before the form is cleaned."""
    return DELETION_FIELD_NAME in form.fields and bool(form[DELETION_FIELD_NAME].data)


def _in_use(formset, index, form):
    """A row counts when it exists already or something was typed into it, and it is not marked for removal."""
    return not _removed(form) and (index < formset.initial_form_count() or form.has_changed())


def _rows_exist(formset, index, form):
    """A row the page showed as existing is still there (and of this rubric); else it would come back as new."""
    if index < formset.initial_form_count() and form.instance.pk is None and not _removed(form):
        form.add_error(None, _("This row is no longer part of the rubric. Reload the page and make the change again."))
        return False
    return True


class RubricEditor:
    """The editor page as one form: the rubric's fields, its criteria, and one level formset per criterion.

    Rules checked here, next to the fields they concern: at least one criterion, at least two levels in
    each, every level titled (in Kazakh at least) with 0 ≤ from ≤ to ≤ 100.
    """

    def __init__(self, *, rubric, data=None):
        self.rubric = rubric
        self.form = RubricForm(data, instance=rubric, prefix="rubric")
        has_criteria = rubric.pk is not None and rubric.criteria.exists()
        self.criteria = _criteria_formset(1 if has_criteria else NEW_RUBRIC_CRITERIA)(
            data, instance=rubric, prefix=CRITERIA_PREFIX
        )
        self.levels = []
        for index, form in enumerate(self.criteria.forms):
            extra = 1 if form.instance.pk else NEW_CRITERION_LEVELS
            self.levels.append(_levels_formset(extra)(data, instance=form.instance, prefix=levels_prefix(index)))
        self.summary = []

    @property
    def rows(self):
        """(criterion form, its level formset) pairs in page order."""
        return list(zip(self.criteria.forms, self.levels, strict=True))

    def blank_criterion(self):
        """A blank criterion with two blank levels, for rubric_editor.js to clone."""
        form = self.criteria.empty_form  # with the formset's hidden and removal fields
        form.prefix = f"{CRITERIA_PREFIX}-{CRITERION_SLOT}"
        levels = _levels_formset(MIN_LEVELS)(
            instance=Criterion(), prefix=levels_prefix(CRITERION_SLOT), form_kwargs={"use_required_attribute": False}
        )
        return form, levels

    def blank_level(self):
        """A blank level for any criterion, for rubric_editor.js to clone."""
        form = _levels_formset(0)(instance=Criterion(), prefix=levels_prefix(CRITERION_SLOT)).empty_form
        form.prefix = f"{levels_prefix(CRITERION_SLOT)}-{LEVEL_SLOT}"
        return form

    def is_valid(self):
        # Every part is validated, so that every error is shown at once.
        valid = all([self.form.is_valid(), self.criteria.is_valid()])
        criteria_used = 0
        for index, (criterion, levels) in enumerate(self.rows):
            if _removed(criterion):
                continue
            valid = _rows_exist(self.criteria, index, criterion) and valid
            levels_valid = levels.is_valid()
            for number, level in enumerate(levels.forms):
                levels_valid = _rows_exist(levels, number, level) and levels_valid
            levels_used = sum(1 for number, form in enumerate(levels.forms) if _in_use(levels, number, form))
            if not _in_use(self.criteria, index, criterion):
                if levels_used:
                    criterion.add_error("title", _("Give this criterion a title, or clear its levels."))
                    valid = False
                continue
            criteria_used += 1
            if levels_used < MIN_LEVELS:
                levels.non_form_errors().append(_("Give this criterion at least two levels."))
            valid = valid and levels_valid and levels_used >= MIN_LEVELS
        if criteria_used == 0:
            self.criteria.non_form_errors().append(_("Add at least one criterion."))
            valid = False
        self.summary = [] if valid else self._summary()
        return valid

    def cleaned_criteria(self):
        """The rubric as rubric_services.rubric_save takes it: criteria in order, each with its levels."""
        criteria = []
        for index, (criterion, levels) in enumerate(self.rows):
            if not _in_use(self.criteria, index, criterion):
                continue
            criterion_values = {field: criterion.cleaned_data[field] for field in CRITERION_FIELDS}
            criteria.append(
                {
                    "pk": criterion.instance.pk,
                    **criterion_values,
                    "levels": [
                        {"pk": level.instance.pk, **{field: level.cleaned_data[field] for field in LEVEL_FIELDS}}
                        for number, level in enumerate(levels.forms)
                        if _in_use(levels, number, level)
                    ],
                }
            )
        return criteria

    def _summary(self):
        """Every error of the page as (text, id of the element to jump to), in page order."""
        items = [
            (_("%(field)s: %(error)s") % {"field": self.form[name].label, "error": error}, self.form[name].auto_id)
            if name
            else (error, "rubric-fields")
            for name, error in _errors(self.form)
        ]
        items += [(error, "criteria") for error in self.criteria.non_form_errors()]
        for index, (criterion, levels) in enumerate(self.rows):
            if _removed(criterion):
                continue
            number = index + 1
            anchor = f"criterion-{index}"
            for name, error in _errors(criterion):
                values = {"number": number, "error": error}
                if name:
                    values["field"] = criterion[name].label
                    items.append((_("Criterion %(number)d, %(field)s: %(error)s") % values, criterion[name].auto_id))
                else:
                    items.append((_("Criterion %(number)d: %(error)s") % values, anchor))
            for error in levels.non_form_errors():
                items.append((_("Criterion %(number)d: %(error)s") % {"number": number, "error": error}, anchor))
            for level_index, level in enumerate(levels.forms):
                if _removed(level):
                    continue
                for name, error in _errors(level):
                    values = {"number": number, "level": level_index + 1, "error": error}
                    if name:
                        values["field"] = level[name].label
                        text = _("Criterion %(number)d, level %(level)d, %(field)s: %(error)s") % values
                        items.append((text, level[name].auto_id))
                    else:
                        items.append((_("Criterion %(number)d, level %(level)d: %(error)s") % values, anchor))
        return items


def _errors(form):
    """(field name, or None for the whole form; message) for every error of a bound form."""
    if not form.is_bound:
        return []
    return [
        (None if name == NON_FIELD_ERRORS else name, message)
        for name, messages in form.errors.items()
        for message in messages
    ]


class TaskRubricForm(forms.Form):
    rubric = forms.ModelChoiceField(label=gettext_lazy("Rubric"), queryset=Rubric.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = Rubric.objects.usable_by(user)
