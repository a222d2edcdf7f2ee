"""Forms of the ASN-facing site: competency ratings, the SKP appraisal, peer lists and the survey."""

from django import forms
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

from .infra.formats import localized
from .models import Employee, ExpectationRating, TrainingMode
from .models.evidence import WEEKDAYS, PreferredTime
from .nip import NIP_RE

LEVELS = range(1, 6)
INDICATOR_CHOICES = [("", _("Not rated"))] + [(n, str(n)) for n in LEVELS]
PRIORITY_CHOICES = [
    ("", _("Not needed")),
    (1, _("1 — nice to have")),
    (2, _("2 — needed")),
    (3, _("3 — most needed")),
]
# Training happens on working days, so those are the days a person may need to stay at their post.
WORKING_DAYS = [(code, WEEKDAY_NAMES[index]) for index, code in enumerate(WEEKDAYS[:5])]


class EntryForm(forms.Form):
    """Base form: ``add_fields`` adds per-competency fields; ``read_only=True`` (closed cycles) disables all."""

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_fields()
        self.read_only = read_only
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def add_fields(self):
        """Add fields that depend on the constructor's arguments."""


class CompetencyLevelsForm(EntryForm):
    """A 1–5 choice per competency, each level labelled with its descriptor from the dictionary.

    ``competencies`` should come with their ``levels`` prefetched; descriptors appear in the
    active language.
    """

    def __init__(self, *args, competencies, **kwargs):
        self.competencies = list(competencies)
        super().__init__(*args, **kwargs)

    def add_fields(self):
        for competency in self.competencies:
            descriptors = {level.level: level.display_descriptor for level in competency.levels.all()}
            self.fields[self.field_name(competency.pk)] = forms.TypedChoiceField(
                label=competency.display_name, coerce=int, widget=forms.RadioSelect,
                choices=[(n, descriptors.get(n, "")) for n in LEVELS],
                error_messages={"required": _("Choose a level for this competency.")},
            )
    @staticmethod
    def field_name(competency_id):
        return f"level_{competency_id}"

    def rows(self):
        """(competency, its description in the active language, bound field) for the template."""
        return [
            (competency, localized(competency, "description"), self[self.field_name(competency.pk)])
            for competency in self.competencies
        ]

    def levels(self):
        """{competency: level} from the cleaned data."""
        return {competency: self.cleaned_data[self.field_name(competency.pk)] for competency in self.competencies}


class AppraisalForm(EntryForm):
    """The SKP appraisal a supervisor gives a direct report."""

    results = forms.ChoiceField(label=_("Work results"), choices=ExpectationRating.choices, widget=forms.RadioSelect)
    behaviour = forms.ChoiceField(
        label=_("Work behaviour (BerAKHLAK)"), choices=ExpectationRating.choices, widget=forms.RadioSelect,
    )
    discipline = forms.TypedChoiceField(
        label=_("Discipline"), choices=INDICATOR_CHOICES, coerce=int, empty_value=None, required=False,
    )
    quality = forms.TypedChoiceField(
        label=_("Quality of work"), choices=INDICATOR_CHOICES, coerce=int, empty_value=None, required=False,
    )
    innovation = forms.TypedChoiceField(
        label=_("Innovation"), choices=INDICATOR_CHOICES, coerce=int, empty_value=None, required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "skp")
        super().__init__(*args, **kwargs)


class PeerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.position.name}"


class PeerAssignmentForm(EntryForm):
    """Colleagues chosen to rate one person as peers: ticked from a list or given by NIP."""

    peers = PeerChoiceField(
        label=_("Colleagues"), queryset=Employee.objects.none(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    other_nips = forms.CharField(
        label=_("Colleagues from other units (NIP)"), required=False,
        help_text=_("NIPs of colleagues elsewhere in the agency, separated by commas or spaces."),
    )

    def __init__(self, *args, candidates, agency, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)
        self.fields["peers"].queryset = candidates

    def clean_other_nips(self):
        nips = [nip for nip in self.cleaned_data["other_nips"].replace(",", " ").split() if nip]
        wrong = [nip for nip in nips if not NIP_RE.match(nip)]
        if wrong:
            raise forms.ValidationError(
                _("%(nips)s is not an 18-digit NIP."), params={"nips": ", ".join(wrong)}, code="invalid_nip",
            )
        found = list(Employee.objects.filter(nip__in=nips, agency=self.agency, active=True))
        missing = sorted(set(nips) - {employee.nip for employee in found})
        if missing:
            raise forms.ValidationError(
                _("No active employee of your agency has NIP %(nips)s."),
                params={"nips": ", ".join(missing)}, code="unknown_nip",
            )
        return found

    def chosen(self):
        """Every chosen Employee, ticked or typed, without duplicates."""
        chosen = {employee.pk: employee for employee in self.cleaned_data["peers"]}
        chosen.update((employee.pk, employee) for employee in self.cleaned_data["other_nips"])
        return list(chosen.values())


class SurveyForm(EntryForm):
    """The training-needs survey: wanted competencies with a priority, and when and how to learn."""

    mode = forms.ChoiceField(
        label=_("Preferred mode"), choices=[("", _("No preference")), *TrainingMode.choices],
        widget=forms.RadioSelect, required=False,
    )
    time = forms.ChoiceField(label=_("Preferred time"), choices=PreferredTime.choices, widget=forms.RadioSelect, required=False)
    blocked_days = forms.MultipleChoiceField(
        label=_("Days you cannot leave your post"), choices=WORKING_DAYS,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("For example the days you serve the public alone."),
    )
    note = forms.CharField(
        label=_("Anything else we should know"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=2000,
    )

    def __init__(self, *args, competencies, **kwargs):
        self.competencies = list(competencies)
        super().__init__(*args, **kwargs)

    def add_fields(self):
        for competency in self.competencies:
            self.fields[self.field_name(competency.pk)] = forms.TypedChoiceField(
                label=competency.display_name, choices=PRIORITY_CHOICES, coerce=int, empty_value=None,
                required=False,
            )
    @staticmethod
    def field_name(competency_id):
        return f"need_{competency_id}"

    def rows(self):
        """(competency, bound field) pairs for the template."""
        return [(competency, self[self.field_name(competency.pk)]) for competency in self.competencies]

    def clean(self):
        cleaned = super().clean()
        if not self.needs():
            raise forms.ValidationError(_("Choose at least one competency you want to develop."), code="empty")
        return cleaned

    def needs(self):
        """(competency, priority) for every competency given a priority."""
        return [
            (competency, self.cleaned_data.get(self.field_name(competency.pk)))
            for competency in self.competencies
            if self.cleaned_data.get(self.field_name(competency.pk))
        ]
