"""The scheduler's formats and methods are shown by name, in the person's language, never as codes."""

from django.utils import translation

from lms.models import ProposedClass, ScheduleRun
from lms.scheduling.problem import Format


def test_every_format_the_scheduler_makes_has_a_name():
    assert {f.value for f in Format} == set(ProposedClass.Format.values)
    with translation.override("id"):
        names = {str(label) for label in ProposedClass.Format.labels} | {str(label) for label in ScheduleRun.Method.labels}
    assert not names & {"short_blocks", "whole_days", "online", "cp-sat", "greedy"}
    assert "Hari penuh" in names or any("hari" in name.lower() for name in names)
