"""Template tags of lms delivery: ``{% completed_training employee %}`` shows a person's completed training."""

from django import template

from tna.roles import TRAINING_ADMIN, employee_of, has_role

from ..training_evidence import completed_training as completed_training_of

register = template.Library()


@register.inclusion_tag("lms/delivery/_completed.html", takes_context=True)
def completed_training(context, employee):
    """The person's completed training with JP and certificates, for a profile page.

    Usage: ``{% load lms_delivery %}{% completed_training employee %}``. The viewer's own page
    gets the PDF and rating links; training admins get the PDF link.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    me = employee_of(user) if user is not None else None
    own = me is not None and me.pk == employee.pk
    trainings = list(completed_training_of(employee))
    # Certificates open to their holder and to the training admins of the holder's agency.
    can_download = own or getattr(user, "is_superuser", False) or bool(
        me is not None and has_role(user, TRAINING_ADMIN) and me.agency_id == employee.agency_id
    )
    return {"trainings": trainings, "own": own, "can_download": can_download, "request": request}
