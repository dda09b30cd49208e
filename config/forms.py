"""Form pieces every app uses the same way."""

from django import forms

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


class MomentInput(forms.DateTimeInput):
    """The browser's own date-and-time picker."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=MOMENT_FORMAT, **kwargs)


class MomentField(forms.DateTimeField):
    """A moment picked in the browser (in the university's time zone, as every moment the portal shows)."""

    widget = MomentInput

    def __init__(self, **kwargs):
        super().__init__(input_formats=[MOMENT_FORMAT], **kwargs)
