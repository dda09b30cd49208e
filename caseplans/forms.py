from django import forms

from portfolio.forms import SubmitForm


class StatementForm(forms.Form):
    """The statement ticked when a plan is handed in: the same words as every hand-in of files."""

    own_work = SubmitForm.base_fields["own_work"]
    deidentified = SubmitForm.base_fields["deidentified"]
