"""Wiring for the lms app: the seats-taken count, reactions to session changes, to TNA runs and to talent
placements, training and coaching as TNA evidence."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.models import Session
        from courses.seats import register_seats_taken
        from courses.signals import session_changed
        from tna.hooks import register_import_format, register_profile_section
        from tna.models import TalentPlacement, TnaRun
        from tna.signals import results_published, talent_placed

        from . import signals
        from .coaching_evidence import register as register_coaching_evidence
        from .profile import completed_training_section
        from .selectors.enrollments import seats_taken_expression
        from .services.mentor_import import MentorsFormat
        from .services.training_history import TrainingHistoryFormat
        from .training_evidence import register as register_training_evidence

        register_seats_taken(seats_taken_expression)
        session_changed.connect(signals.on_session_changed, sender=Session, dispatch_uid="lms.session_changed")
        results_published.connect(signals.on_tna_results_published, sender=TnaRun, dispatch_uid="lms.tna_results")
        # A 9-box placement gives each person their development plan (lms.services.development).
        talent_placed.connect(signals.on_talent_placed, sender=TalentPlacement, dispatch_uid="lms.talent_placed")
        # Completed training counts as evidence in the next TNA run (tna.hooks).
        register_training_evidence()
        # So do supervisors' coaching ratings of the cycle's year (lms.coaching_evidence).
        register_coaching_evidence()
        # The training history and the mentors file are uploaded in the admin like tna's own imports.
        register_import_format(TrainingHistoryFormat)
        register_import_format(MentorsFormat)
        register_profile_section(completed_training_section)
