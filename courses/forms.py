"""Admin forms of the catalogue: choices limited to the user's agency, and the session schedule."""

import datetime
import re
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tna.infra.forms import rupiah_formfield
from tna.models import Agency
from tna.roles import user_agency

from .models import Course, Provider
from .recurrence import Slot, national_closures, recurring_slots

LINE = re.compile(
    r"^\s*(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\s+"
    r"(?P<start>\d{1,2}[:.]\d{2})\s*(?:-|–|—|s/d|sd)\s*(?P<end>\d{1,2}[:.]\d{2})\s*$"
)
WEEKDAY_CHOICES = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
    (5, _("Saturday")), (6, _("Sunday")),
]


def _scoped_user(form):
    user = getattr(form, "for_user", None)
    return None if user is None or user.is_superuser else user


class AgencyScopedForm(WagtailAdminModelForm):
    """Limits the ``agency`` field (and related choices) to the editing user's agency."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _scoped_user(self)
        if user is None:
            return
        agency = user_agency(user)
        if "agency" in self.fields:
            self.fields["agency"].queryset = Agency.objects.filter(pk=getattr(agency, "pk", None))
            self.fields["agency"].empty_label = None
            self.fields["agency"].required = True
        self.limit_choices(agency)

    def limit_choices(self, agency):
        """Subclasses narrow their own related fields to ``agency``."""


class ProviderForm(AgencyScopedForm):
    def limit_choices(self, agency):
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(agency=agency)


class CourseForm(AgencyScopedForm):
    # Rupiah typed the way people write them (250.000, Rp 1.250.000), shown grouped when editing.
    cost_per_participant = rupiah_formfield(Course, "cost_per_participant")
    fixed_cost_per_class = rupiah_formfield(Course, "fixed_cost_per_class")

    def limit_choices(self, agency):
        self.fields["provider"].queryset = Provider.objects.filter(Q(agency=agency) | Q(agency__isnull=True))
        self.fields["prerequisite_courses"].queryset = Course.objects.filter(agency=agency)


class SessionForm(WagtailAdminModelForm):
    """A session with its meetings, written one per line or generated from a weekly pattern.

    Times are the agency's local time (WIB, WITA or WIT). Saving goes through courses.services,
    which keeps meeting numbers (calendar ids) and raises the calendar sequence only when needed.
    """

    schedule = forms.CharField(
        label=_("Meetings"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One meeting per line in the agency's local time, e.g. 2026-12-01 08:00-12:00. "
                    "Leave empty to generate them from the pattern below."),
    )
    pattern_first_day = forms.DateField(label=_("First day"), required=False)
    pattern_weekdays = forms.TypedMultipleChoiceField(
        label=_("On"), choices=WEEKDAY_CHOICES, coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Monday–Friday for a block of consecutive working days; e.g. Tuesday and Thursday for "
                    "two short meetings a week. Public holidays and cuti bersama are skipped."),
    )
    pattern_start = forms.TimeField(label=_("From"), required=False)
    pattern_end = forms.TimeField(label=_("Until"), required=False)
    pattern_count = forms.IntegerField(label=_("Number of meetings"), required=False, min_value=1, max_value=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _scoped_user(self)
        if user is not None and "course" in self.fields:
            self.fields["course"].queryset = Course.objects.filter(agency=user_agency(user))
        if self.instance.pk:
            if "course" in self.fields:
                self.fields["course"].disabled = True
            tz = self.instance.tz
            self.initial.setdefault("schedule", "\n".join(
                "%s-%s" % (
                    timezone.localtime(m.starts_at, tz).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(m.ends_at, tz).strftime("%H:%M"),
                )
                for m in self.instance.meetings.filter(cancelled=False).order_by("number")
            ))

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course") or (self.instance.course if self.instance.pk else None)
        if course is None:
            return cleaned
        tz = ZoneInfo(course.agency.time_zone)
        try:
            if cleaned.get("schedule", "").strip():
                cleaned["slots"] = parse_schedule(cleaned["schedule"], tz)
            elif cleaned.get("pattern_first_day"):
                cleaned["slots"] = self._pattern_slots(cleaned, tz)
            else:
                self.add_error("schedule", _("Write the meetings, one per line, or fill in the pattern."))
        except forms.ValidationError as error:
            self.add_error("schedule", error)
        return cleaned

    def _pattern_slots(self, cleaned, tz):
        missing = [name for name in ("pattern_start", "pattern_end", "pattern_count") if not cleaned.get(name)]
        if missing:
            raise forms.ValidationError(_("The pattern needs its start time, end time and number of meetings."))
        first = cleaned["pattern_first_day"]
        try:
            return recurring_slots(
                first_day=first, start=cleaned["pattern_start"], end=cleaned["pattern_end"],
                count=cleaned["pattern_count"], tz=tz, weekdays=cleaned.get("pattern_weekdays") or (0, 1, 2, 3, 4),
                skip=national_closures(range(first.year, first.year + 3)),
            )
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


def parse_schedule(text, tz):
    """Meetings from lines like ``2026-12-01 08:00-12:00`` or ``01-12-2026 08.00–12.00`` in ``tz``.

    Raises ValidationError naming the first bad line.
    """
    slots = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if not match:
            raise forms.ValidationError(
                _("Line %(n)d (“%(line)s”) is not a meeting; write it like 2026-12-01 08:00-12:00."),
                params={"n": number, "line": line.strip()},
            )
        try:
            day = _parse_date(match["date"])
            start, end = _parse_time(match["start"]), _parse_time(match["end"])
        except ValueError as error:
            raise forms.ValidationError(
                _("Line %(n)d: %(error)s"), params={"n": number, "error": error}
            ) from error
        if end <= start:
            raise forms.ValidationError(_("Line %(n)d: the meeting ends before it starts."), params={"n": number})
        slots.append(Slot(datetime.datetime.combine(day, start, tzinfo=tz), datetime.datetime.combine(day, end, tzinfo=tz)))
    if not slots:
        raise forms.ValidationError(_("A session needs at least one meeting."))
    return slots


def _parse_date(text):
    parts = [int(p) for p in re.split(r"[-/.]", text)]
    year, month, day = parts if parts[0] > 31 else parts[::-1]
    return datetime.date(year, month, day)


def _parse_time(text):
    hours, minutes = re.split(r"[:.]", text)
    return datetime.time(int(hours), int(minutes))
