"""The lms section of the tna competency profile: the person's completed training."""

from django.template.loader import render_to_string

from .templatetags.lms_delivery import completed_training


def completed_training_section(*, request, employee):
    """Completed training with JP and certificates, rendered for the profile page (tna.hooks)."""
    context = completed_training({"request": request}, employee)
    return render_to_string("lms/delivery/_completed.html", context, request=request)
