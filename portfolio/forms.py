from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import FileField, MomentField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(FileField):
    """A file field that takes several files at once, each refused by name when it is empty; the content checks are
    the service's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if not items:
            single(None, initial)  # a required field refuses to be left without a file
            return []
        return [single(item, initial) for item in items]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        error_messages={
            "required": _(
                "Choose at least one file to upload. If you chose one, its name could not be read: rename the file "
                "and try again."
            )
        },
    )

    def __init__(self, *args, accept="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = accept


class SubmitForm(forms.Form):
    """The hand-in: files picked here are staged and the draft handed in with them, in one request."""

    files = MultipleFileField(label=_("Add files"), required=False)
    own_work = forms.BooleanField(
        label=_("This work is my own; every source I used is cited."),
        error_messages={"required": _("Confirm that the work is your own.")},
    )
    deidentified = forms.BooleanField(
        label=_("Every real client in this work is de-identified: no names, ИИН, addresses or phone numbers."),
        error_messages={"required": _("Confirm that every real client is de-identified.")},
    )


class StatementForm(forms.Form):
    """The statement ticked when work built in the portal is handed in: the same words as every hand-in of files."""

    own_work = SubmitForm.base_fields["own_work"]
    deidentified = SubmitForm.base_fields["deidentified"]


class DeadlineForm(forms.Form):
    due_at_override = MomentField(
        label=_("Due moment"),
        required=False,
        help_text=_("Leave empty to use the end of the due week (Sunday, 23:59)."),
    )
    cutoff_at = MomentField(
        label=_("Submissions close"), required=False, help_text=_("Leave empty to accept late work at any time.")
    )


class ExtensionForm(forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=None)
    due_at = MomentField(label=_("New due moment"))
    cutoff_at = MomentField(label=_("New cut-off"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, students, **kwargs):
        # Its own ids: the deadline form on the same page has a cut-off field too.
        kwargs.setdefault("auto_id", "id_extension_%s")
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda user: user.display_name

    def clean(self):
        cleaned = super().clean()
        due_at, cutoff_at = cleaned.get("due_at"), cleaned.get("cutoff_at")
        if due_at and cutoff_at and cutoff_at < due_at:
            self.add_error("cutoff_at", _("The cut-off cannot come before the new due moment."))
        return cleaned
