"""Admin forms of the tna models: choices limited to the user's agency, and the rules each record obeys."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..infra.scoped_admin import AgencyScopedForm
from ..services.people import employee_save, employee_validate
from ..services.positions import required_levels_apply_defaults


class UnitForm(AgencyScopedForm):
    """The parent must be in the same agency and not inside the unit (checked by Unit.clean)."""

    scoped_fields = {"parent": "agency"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields and self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)


class PositionForm(AgencyScopedForm):
    """A position and its competency standard; rows left alone stay the job type's default."""

    def save(self, commit=True):
        formset = self.formsets.get("required_levels")
        if formset is not None:
            for form in formset.forms:
                # A row the user added or whose level or weight they changed is set explicitly.
                if form.instance.pk is None or {"level", "weight"} & set(form.changed_data):
                    form.instance.is_default = False
        position = super().save(commit=commit)
        if commit:
            required_levels_apply_defaults(positions=[position], overwrite="job_type" in self.changed_data)
        return position


class EmployeeForm(AgencyScopedForm):
    """An employee and their login: NIP rules per employment, supervisor in the agency and no loop."""

    scoped_fields = {"unit": "agency", "position": "agency", "supervisor": "agency"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "supervisor" in self.fields:
            # Active people, plus whoever is supervisor now so the form still validates.
            supervisors = self.fields["supervisor"].queryset.filter(
                Q(active=True) | Q(pk=self.instance.supervisor_id)
            )
            if self.instance.pk:
                supervisors = supervisors.exclude(pk=self.instance.pk)
            self.fields["supervisor"].queryset = supervisors
        if "nip" in self.fields:
            self.fields["nip"].help_text = _(
                "18 digits. Also the login name: changing it renames the employee's user."
            )

    def clean(self):
        cleaned = super().clean()
        nip, employment, agency = cleaned.get("nip"), cleaned.get("employment"), cleaned.get("agency")
        if nip is None or employment is None or agency is None:
            return cleaned  # the missing field already carries its error
        try:
            cleaned["nip"] = employee_validate(
                nip=nip, employment=employment, agency=agency, unit=cleaned.get("unit"),
                position=cleaned.get("position"), supervisor=cleaned.get("supervisor"),
                employee=self.instance if self.instance.pk else None,
            )
        except ValidationError as error:
            self.add_validation_error(error)
        return cleaned

    def save(self, commit=True):
        employee = super().save(commit=False)
        if commit:
            employee_save(employee=employee)
            self.save_m2m()
        return employee


class UnitSatisfactionForm(AgencyScopedForm):
    """An IKM score goes into an open cycle only."""

    agency_field_name = None
    scoped_fields = {"unit": "agency"}

    def clean(self):
        cleaned = super().clean()
        cycle = cleaned.get("cycle")
        if cycle is not None and not cycle.is_open:
            self.add_error("cycle", _("Cycle %(year)s is closed and takes no more entries.") % {"year": cycle.year})
        return cleaned
