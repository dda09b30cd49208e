"""The directory's search form: free text and the four filters, read from the page's address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import ClientCategory, Cost, OrganisationType, Region

FILTER_FIELDS = ("category", "region", "organisation_type", "cost")


def _choices(everything, choices):
    return [("", everything), *choices]


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Organisation, service, city, address…"), "autocomplete": "off"}
        ),
    )
    category = forms.ChoiceField(
        label=_("Client category"),
        required=False,
        choices=_choices(_("All categories"), ClientCategory.choices),
        widget=_select(),
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=_choices(_("All regions"), Region.choices), widget=_select()
    )
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"),
        required=False,
        choices=_choices(_("All types"), OrganisationType.choices),
        widget=_select(),
    )
    cost = forms.ChoiceField(
        label=_("Cost"), required=False, choices=_choices(_("Any cost"), Cost.choices), widget=_select()
    )

    def search(self):
        """The text and the filters to search with: a field whose value is not valid (an edited address) is left out
        and its error shown beside it, while the valid ones still apply."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"text": cleaned.get("q", ""), **{name: cleaned.get(name, "") for name in FILTER_FIELDS}}


class InstitutionAddForm(forms.Form):
    """An organisation a student adds for their institution report: the repository's row, in short. The row check
    (``directory.services.institution_add``) applies the same rules as to a repository file."""

    organisation = forms.CharField(label=_("Organisation"), max_length=300)
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"), choices=_choices("", OrganisationType.choices), widget=forms.Select()
    )
    client_category = forms.ChoiceField(
        label=_("Client category"), choices=_choices("", ClientCategory.choices), widget=forms.Select()
    )
    services = forms.CharField(label=_("Services offered"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    region = forms.ChoiceField(label=_("Region"), choices=_choices("", Region.choices), widget=forms.Select())
    city = forms.CharField(label=_("City or settlement"), max_length=120)
    phone = forms.CharField(
        label=_("Phone"), max_length=60, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.TextInput(attrs={"inputmode": "email"})
    )
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
