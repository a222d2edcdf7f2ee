"""The participant's rating of a course they attended: four scores from 1 to 5 every agency asks, a score
on each extra question of the agency running the course, and comments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tna.roles import employee_of

from ..models import Attendance, Enrollment, EnrollmentStatus
from ..models.evaluation import Evaluation, ReactionAnswer, ReactionQuestion

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


def _is_score(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def evaluation_submit(*, enrollment, user, relevance, trainer, organisation, overall, comment="", answers=None):
    """The participant's own rating of the course (each score 1–5) after attending it.

    ``answers`` maps each active extra question of the course's agency (its id) to a score 1–5; all
    of them must be answered, and the rating is saved whole or not at all. Raises PermissionDenied
    for anyone but the participant and ValidationError naming the score (``question-<id>`` for an
    extra question) or the reason the course cannot be rated.
    """
    if employee_of(user) is None or employee_of(user).pk != enrollment.employee_id:
        raise PermissionDenied(_("Only the participant can rate their course."))
    scores = {"relevance": relevance, "trainer": trainer, "organisation": organisation, "overall": overall}
    for name, value in scores.items():
        if not _is_score(value):
            raise ValidationError({name: _("Choose a score from 1 to 5.")})
    answers = dict(answers or {})
    with transaction.atomic():
        enrollment = (Enrollment.objects.select_for_update(of=("self",)).select_related("session__course")
                      .get(pk=enrollment.pk))
        refusal = evaluation_refusal(enrollment)
        if refusal:
            raise ValidationError(refusal)
        questions = list(ReactionQuestion.objects.filter(agency=enrollment.session.course.agency_id, active=True))
        asked = {question.pk for question in questions}
        unknown = set(answers) - asked
        if unknown:
            raise ValidationError(_("The course's questions have changed; please reload the page and answer again."))
        errors = {"question-%d" % pk: _("Choose a score from 1 to 5.") for pk in asked if not _is_score(answers.get(pk))}
        if errors:
            raise ValidationError(errors)
        evaluation = Evaluation.objects.create(enrollment=enrollment, comment=(comment or "").strip(), **scores)
        ReactionAnswer.objects.bulk_create(
            ReactionAnswer(evaluation=evaluation, question_id=pk, score=score) for pk, score in answers.items()
        )
        return evaluation
