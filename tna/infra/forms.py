"""Form fields every app shares: ``RupiahField``, the one way money is typed into Latih.

A rupiah input shows the stored amount grouped (``250.000.000``), accepts the ways people write
rupiah and refuses what could be read two ways (``tna.infra.formats.parse_rupiah``); every money
input of the project — budget envelopes, what-if amounts, course costs — is one of these.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, gettext_lazy

from .formats import RUPIAH_EXAMPLE, format_rupiah, parse_rupiah, rupiah_digits


def _whole_rupiah():
    return gettext("Whole rupiah, e.g. %(example)s.") % {"example": rupiah_digits(RUPIAH_EXAMPLE)}


WHOLE_RUPIAH = lazy(_whole_rupiah, str)()
# PositiveBigIntegerField's ceiling; far above any budget, but the database's limit.
MAX_RUPIAH = 9_223_372_036_854_775_807


class RupiahInput(forms.TextInput):
    """A text box (not ``type=number``, which would drop the dots) that shows the amount grouped."""

    def __init__(self, attrs=None):
        # "numeric" gives phones a digit keypad; grouping is optional when typing.
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false",
                          "class": "latih-rupiah", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return rupiah_digits(value)
        return super().format_value(value)


class RupiahField(forms.Field):
    """Whole rupiah as an ``int``: ``250.000.000``, ``Rp 250.000.000``, ``250 000 000`` or ``250000000``.

    ``min_value`` (default 0) and ``max_value`` are rupiah; a negative amount is refused unless
    ``min_value`` is negative or None.
    """

    widget = RupiahInput
    default_error_messages = {
        "min_value": gettext_lazy("The amount must be at least %(limit)s."),
        "max_value": gettext_lazy("The amount must be at most %(limit)s."),
    }

    def __init__(self, *, min_value=0, max_value=MAX_RUPIAH, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("help_text", WHOLE_RUPIAH)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return parse_rupiah(value, allow_negative=self.min_value is None or self.min_value < 0)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(self.error_messages["min_value"], code="min_value",
                                  params={"limit": format_rupiah(self.min_value)})
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(self.error_messages["max_value"], code="max_value",
                                  params={"limit": format_rupiah(self.max_value)})

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def rupiah_formfield(model, name, **kwargs):
    """A ``RupiahField`` for ``model``'s integer field ``name``, with its label, help text and default."""
    field = model._meta.get_field(name)
    options = {"label": capfirst(field.verbose_name), "required": not field.blank}
    if field.help_text:
        options["help_text"] = format_lazy("{} {}", field.help_text, WHOLE_RUPIAH)
    if field.has_default():
        options["initial"] = field.get_default()
    return RupiahField(**{**options, **kwargs})
