"""The department admin's course forms: a course run with its instructors, and the run a copy goes into."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from config.forms import ModelMultipleChoiceField
from coursework.models import Course, Term
from coursework.services.courses import course_run_check

DATE_FORMAT = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's own date picker."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format=DATE_FORMAT, **kwargs)


class InstructorChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class CourseForm(forms.ModelForm):
    """A course run of the admin's department: what it is, when it runs, where its document comes from, who teaches."""

    instructors = InstructorChoiceField(
        label=capfirst(_("instructors")),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Instructors of your department. They edit the course's tasks and reading list."),
    )

    class Meta:
        model = Course
        fields = [
            "code",
            "title",
            "title_ru",
            "title_en",
            "programme",
            "programme_ru",
            "programme_en",
            "academic_year",
            "term",
            "start_date",
            "expected_points",
            "reference_style",
            "compiler",
            "department_protocol_number",
            "department_protocol_date",
            "faculty_protocol_number",
            "faculty_protocol_date",
            "instructors",
        ]
        widgets = {
            "start_date": DateInput(),
            "department_protocol_date": DateInput(),
            "faculty_protocol_date": DateInput(),
            "expected_points": forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
        }

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.department = department
        self.fields["instructors"].queryset = User.objects.filter(role=Role.INSTRUCTOR, department=department)
        self.fields["academic_year"].widget.attrs.update(placeholder="2025-2026", inputmode="numeric")

    def clean(self):
        # A taken run is said next to the code; the model's own message for its constraint is vaguer.
        cleaned = super().clean()
        if all(cleaned.get(name) for name in ("code", "academic_year", "term")):
            try:
                course_run_check(
                    code=cleaned["code"],
                    academic_year=cleaned["academic_year"],
                    term=cleaned["term"],
                    course=self.instance,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def course_fields(self):
        """The course's own fields, for course_create and course_update (its instructors apart)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "instructors"}


class CourseCopyForm(forms.Form):
    """The new run a course is copied into. course_copy checks the rest: a Monday, a free run."""

    code = forms.CharField(label=capfirst(_("code")), max_length=40)
    academic_year = forms.RegexField(
        label=capfirst(_("academic year")),
        regex=r"^\d{4}-\d{4}$",
        max_length=9,
        error_messages={"invalid": _("Write the academic year as 2025-2026.")},
        widget=forms.TextInput(attrs={"placeholder": "2025-2026", "inputmode": "numeric"}),
    )
    term = forms.ChoiceField(label=capfirst(_("term")), choices=Term.choices)
    start_date = forms.DateField(
        label=capfirst(_("start date")), help_text=_("The Monday of week 1."), widget=DateInput()
    )
