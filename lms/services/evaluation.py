"""The participant's rating of a course they attended (four scores from 1 to 5, and comments)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tna.roles import employee_of

from ..models import Attendance, Enrollment, EnrollmentStatus
from ..models.evaluation import Evaluation

S = EnrollmentStatus
SCORE_FIELDS = ("relevance", "trainer", "organisation", "overall")


def evaluation_refusal(enrollment, *, attended=None, now=None):
    """Why the participant cannot rate the course (a sentence), or None."""
    now = now or timezone.now()
    if attended is None:
        attended = enrollment.attendance.filter(status=Attendance.Status.PRESENT).exists()
    if enrollment.status != S.COMPLETED and not attended:
        return _("Only participants who attended the course can rate it.")
    session = enrollment.session
    if enrollment.status != S.COMPLETED and session.ends_at and session.ends_at > now:
        return _("You can rate the course once it has ended.")
    if Evaluation.objects.filter(enrollment=enrollment).exists():
        return _("You have already rated this course. Thank you!")
    return None


def evaluation_submit(*, enrollment, user, relevance, trainer, organisation, overall, comment=""):
    """The participant's own rating of the course (each score 1–5) after attending it."""
    if employee_of(user) is None or employee_of(user).pk != enrollment.employee_id:
        raise PermissionDenied(_("Only the participant can rate their course."))
    scores = {"relevance": relevance, "trainer": trainer, "organisation": organisation, "overall": overall}
    for name, value in scores.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValidationError({name: _("Choose a score from 1 to 5.")})
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related("session").get(pk=enrollment.pk)
        refusal = evaluation_refusal(enrollment)
        if refusal:
            raise ValidationError(refusal)
        return Evaluation.objects.create(enrollment=enrollment, comment=(comment or "").strip(), **scores)
