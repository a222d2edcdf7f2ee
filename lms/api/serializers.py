"""Serializers of the lms API, one section per area: enrollments, learning, delivery, budget."""

import math
from types import SimpleNamespace

from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from courses.models import Session
from tna.infra.formats import localized
from tna.models import Employee

from ..budget.summary import allocation, totals
from ..explain import explain_recommendation
from ..models import Enrollment, JpCredit, Recommendation, TrainingPlan
from ..models.ledger import CreditedCompetency
from ..services import budget as budget_service
from ..training_evidence import verify_url

# --- enrollments ---------------------------------------------------------------------------------


class EnrollmentSerializer(serializers.ModelSerializer):
    """One enrollment as the person, their supervisors and their agency's training admins see it."""

    nip = serializers.CharField(source="employee.nip", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    course = serializers.CharField(source="session.course.code", read_only=True)
    course_title = serializers.CharField(source="session.course.title", read_only=True)
    session_label = serializers.CharField(source="session.label", read_only=True)
    session_status = serializers.CharField(source="session.status", read_only=True)
    starts_at = serializers.DateTimeField(source="session.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="session.ends_at", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    waitlist_position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="1 = next to get a seat; null unless waitlisted."
    )

    class Meta:
        model = Enrollment
        fields = [
            "id", "nip", "name", "session", "course", "course_title", "session_label", "session_status",
            "starts_at", "ends_at", "status", "status_display", "waitlist_position", "rsvp", "reason",
            "requested_at", "queued_at", "decided_at", "completed_at", "recommendation",
        ]
        read_only_fields = fields


class EnrollmentRequestSerializer(serializers.Serializer):
    """A request for a seat: for yourself, or (a training admin) for someone in your agency."""

    session = serializers.PrimaryKeyRelatedField(queryset=Session.objects.select_related("course__agency"))
    nip = serializers.SlugRelatedField(
        slug_field="nip", queryset=Employee.objects.select_related("agency", "supervisor"), required=False,
        help_text="Whose seat; default yourself.", source="employee",
    )
    recommendation = serializers.PrimaryKeyRelatedField(queryset=Recommendation.objects.all(), required=False,
                                                        allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                 help_text="A word for the supervisor.")


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text="Required to reject; the person reads it.")


class AttendanceSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, help_text="The meeting's number within the session (1, 2, …).")
    present = serializers.JSONField(help_text='true, false or "excused".')


class EnrollmentResultSerializer(serializers.Serializer):
    """An enrollment with a sentence saying where it stands."""

    detail = serializers.CharField()
    enrollment = EnrollmentSerializer()


# --- learning ------------------------------------------------------------------------------------

class SessionBriefSerializer(serializers.ModelSerializer):
    """A session in brief; it reads model instances and plain rows (dicts) alike."""

    seats_left = serializers.IntegerField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Session
        fields = ["id", "label", "starts_at", "ends_at", "place", "enrollment_opens", "enrollment_closes", "seats_left"]


class RecommendationSerializer(serializers.ModelSerializer):
    """One recommended course with the reason as numbers (``reason``) and as sentences (``explanation``)."""

    cycle = serializers.IntegerField(source="cycle.year")
    course = serializers.CharField(source="course.code", help_text="Course code (unique within its agency).")
    course_id = serializers.IntegerField()
    course_title = serializers.CharField(source="course.display_title")
    course_agency = serializers.CharField(source="course.agency.code")
    provider = serializers.CharField(source="course.provider.name")
    mode = serializers.CharField(source="course.mode")
    jp = serializers.IntegerField(source="course.jp")
    cost_per_participant = serializers.IntegerField(source="course.cost_per_participant")
    competency = serializers.CharField(source="competency.code", allow_null=True, default=None,
                                       help_text="The gap it mainly closes; null for a top-up towards the JP minimum.")
    kind = serializers.SerializerMethodField(help_text="gap (best course for a gap), alternative, top_up, or development (an item of the person's development plan, e.g. leadership training).")
    explanation = serializers.SerializerMethodField(help_text="Why, as sentences in the request's language.")
    next_session = serializers.SerializerMethodField(help_text="The next session open for enrollment, if any.")
    reason = serializers.JSONField(help_text="The numbers behind the recommendation (gaps, course, score parts, plan).")

    class Meta:
        model = Recommendation
        fields = [
            "id", "cycle", "rank", "status", "in_plan", "kind", "course", "course_id", "course_title", "course_agency",
            "provider", "mode", "jp", "cost_per_participant", "competency", "score", "expected_closure",
            "explanation", "next_session", "reason",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["gap", "alternative", "top_up", "development"]))
    def get_kind(self, recommendation):
        return (recommendation.reason or {}).get("kind", "gap")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_explanation(self, recommendation):
        return explain_recommendation(recommendation.reason, mode=recommendation.course.mode,
                                      names=self.context.get("names", {}))

    @extend_schema_field(SessionBriefSerializer(allow_null=True))
    def get_next_session(self, recommendation):
        upcoming = self.context.get("sessions", {}).get(recommendation.course_id)
        session = upcoming.open if upcoming else None
        return self._session_brief.to_representation(session) if session else None

    @cached_property
    def _session_brief(self):
        # One serializer for every row of a list: building its fields per row cost more than the rest.
        return SessionBriefSerializer()


RECOMMENDATION_VALUES = (
    "id", "cycle__year", "rank", "status", "in_plan", "course__code", "course_id", "course__title", "course__title_en",
    "course__agency__code", "course__provider__name", "course__mode", "course__jp", "course__cost_per_participant",
    "competency__code", "score", "expected_closure", "reason",
)


def recommendation_rows(rows, *, names, sessions):
    """``RecommendationSerializer(recommendations, many=True, context=…).data`` from ``rows``, dicts of
    ``RECOMMENDATION_VALUES``: the list's rows without model instances (tests/lms/test_api_learning.py
    checks both agree). ``names`` as in the serializer's context; ``sessions`` maps course ids to the
    next open session's ``SessionBriefSerializer`` fields (``learning.next_open_sessions``)."""
    brief = SessionBriefSerializer()
    found = []
    for row in rows:
        reason = row["reason"]
        session = sessions.get(row["course_id"])
        found.append({
            "id": row["id"], "cycle": row["cycle__year"], "rank": row["rank"], "status": row["status"],
            "in_plan": row["in_plan"], "kind": (reason or {}).get("kind", "gap"), "course": row["course__code"],
            "course_id": row["course_id"],
            "course_title": localized(SimpleNamespace(title=row["course__title"], title_en=row["course__title_en"]),
                                      "title"),
            "course_agency": row["course__agency__code"], "provider": row["course__provider__name"],
            "mode": row["course__mode"], "jp": row["course__jp"], "cost_per_participant": row["course__cost_per_participant"],
            "competency": row["competency__code"], "score": float(row["score"]),
            "expected_closure": float(row["expected_closure"]),
            "explanation": explain_recommendation(reason, mode=row["course__mode"], names=names),
            "next_session": brief.to_representation(session) if session else None,
            "reason": reason,
        })
    return found


class AcceptSerializer(serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True,
        help_text="Session id; default: the course's next session open for enrollment.",
    )


AcceptResultSerializer = inline_serializer(name="RecommendationAccepted", fields={
    "detail": serializers.CharField(),
    "enrollment": serializers.IntegerField(help_text="Id of the enrollment (see enrollments/)."),
    "status": serializers.CharField(help_text="requested, enrolled or waitlisted."),
})


class JpCreditSerializer(serializers.ModelSerializer):
    competencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = JpCredit
        fields = ["id", "title", "jp", "year", "competency_type", "route", "provider", "start_date", "end_date",
                  "certificate_number", "competencies"]


class LearningEnrollmentSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="session.course.code")
    course_title = serializers.CharField(source="session.course.display_title")
    jp = serializers.IntegerField(source="session.course.jp")
    session = serializers.IntegerField(source="session_id")
    session_label = serializers.CharField(source="session.label")
    starts_at = serializers.DateTimeField(source="session.starts_at")
    ends_at = serializers.DateTimeField(source="session.ends_at")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Enrollment
        fields = ["id", "status", "status_display", "course", "course_title", "jp", "session", "session_label",
                  "starts_at", "ends_at", "requested_at", "completed_at"]


JP_CREDIT_VALUES = ("id", "title", "jp", "year", "competency_type", "route", "provider", "start_date", "end_date",
                    "certificate_number")
LEARNING_ENROLLMENT_VALUES = (
    "id", "status", "session__course__code", "session__course__title", "session__course__title_en",
    "session__course__jp", "session_id", "session__label", "session__starts_at", "session__ends_at", "requested_at",
    "completed_at",
)


def jp_credit_rows(rows):
    """``JpCreditSerializer(credits, many=True).data`` from ``rows``, dicts of ``JP_CREDIT_VALUES``; one
    query (the competencies, in the dictionary's order as the serializer's prefetch reads them)."""
    day = serializers.DateField().to_representation
    codes = {}
    for credit_id, code in (CreditedCompetency.objects.filter(credit_id__in=[row["id"] for row in rows])
                            .order_by("competency__sort_order", "competency__code")
                            .values_list("credit_id", "competency__code")):
        codes.setdefault(credit_id, []).append(code)
    return [{
        "id": row["id"], "title": row["title"], "jp": row["jp"], "year": row["year"],
        "competency_type": row["competency_type"], "route": row["route"], "provider": row["provider"],
        "start_date": day(row["start_date"]) if row["start_date"] else None,
        "end_date": day(row["end_date"]) if row["end_date"] else None,
        "certificate_number": row["certificate_number"], "competencies": codes.get(row["id"], []),
    } for row in rows]


def learning_enrollment_rows(rows):
    """``LearningEnrollmentSerializer(enrollments, many=True).data`` from ``rows``, dicts of
    ``LEARNING_ENROLLMENT_VALUES``."""
    stamp = serializers.DateTimeField().to_representation
    labels = dict(Enrollment._meta.get_field("status").flatchoices)
    return [{
        "id": row["id"], "status": row["status"], "status_display": str(labels.get(row["status"], row["status"])),
        "course": row["session__course__code"],
        "course_title": localized(SimpleNamespace(title=row["session__course__title"],
                                                  title_en=row["session__course__title_en"]), "title"),
        "jp": row["session__course__jp"], "session": row["session_id"], "session_label": row["session__label"],
        "starts_at": stamp(row["session__starts_at"]) if row["session__starts_at"] else None,
        "ends_at": stamp(row["session__ends_at"]) if row["session__ends_at"] else None,
        "requested_at": stamp(row["requested_at"]) if row["requested_at"] else None,
        "completed_at": stamp(row["completed_at"]) if row["completed_at"] else None,
    } for row in rows]


LearningYearSerializer = inline_serializer(name="LearningYear", fields={
    "year": serializers.IntegerField(),
    "jp_total": serializers.IntegerField(help_text="JP credited in the year."),
    "jp_held": serializers.IntegerField(help_text="JP of sessions of the year in which you hold a seat, not yet credited."),
    "jp_minimum": serializers.IntegerField(help_text="The yearly minimum (20 JP for a PNS by default)."),
    "jp_remaining": serializers.IntegerField(help_text="JP still to be credited to reach the minimum."),
    "meets_minimum": serializers.BooleanField(),
    "credits": JpCreditSerializer(many=True),
    "enrollments": LearningEnrollmentSerializer(many=True),
})


# --- delivery ------------------------------------------------------------------------------------

class CertificateSerializer(serializers.ModelSerializer):
    """One of my credited trainings with its certificate (``code`` empty for a hand-entered credit)."""

    course = serializers.CharField(source="title")
    code = serializers.SerializerMethodField(help_text="Verification code; anyone can check it.")
    verify_url = serializers.SerializerMethodField(help_text="The public verification page.")
    pdf_url = serializers.SerializerMethodField(help_text="The certificate as PDF (signed-in holder).")
    competencies = serializers.SerializerMethodField(help_text="Competencies developed, with the level reached.")
    evaluated = serializers.SerializerMethodField(help_text="Whether I have rated the course.")

    class Meta:
        model = JpCredit
        fields = ["course", "provider", "year", "jp", "start_date", "end_date", "route", "competency_type",
                  "certificate_number", "code", "verify_url", "pdf_url", "competencies", "evaluated"]

    def _certificate(self, credit):
        enrollment = credit.enrollment
        certificate = getattr(enrollment, "certificate", None) if enrollment else None
        return certificate if certificate and not certificate.revoked else None

    def get_code(self, credit) -> str:
        certificate = self._certificate(credit)
        return certificate.code if certificate else ""

    def get_verify_url(self, credit) -> str:
        certificate = self._certificate(credit)
        return verify_url(certificate.code, self.context.get("request")) if certificate else ""

    def get_pdf_url(self, credit) -> str:
        certificate = self._certificate(credit)
        if not certificate:
            return ""
        return self.context["request"].build_absolute_uri(reverse("lms:certificate-pdf", args=[certificate.code]))

    def get_competencies(self, credit) -> list[dict]:
        return [{"code": c.competency.code, "level": c.level} for c in credit.competency_levels.all()]

    def get_evaluated(self, credit) -> bool:
        return bool(credit.enrollment_id and hasattr(credit.enrollment, "evaluation"))


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["valid", "revoked"])
    name = serializers.CharField()
    course = serializers.CharField()
    completed_on = serializers.DateField()
    jp = serializers.IntegerField()
    issued_by = serializers.CharField()
    number = serializers.CharField()
    code = serializers.CharField()


class MarkSerializer(serializers.Serializer):
    nip = serializers.RegexField(r"^\d{18}$", help_text="The participant's NIP.")
    meeting = serializers.IntegerField(min_value=1, help_text="The meeting's number within the session.")
    present = serializers.JSONField(help_text='true, false or "excused".')


class MarksSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, allow_empty=False)


class CompleteSerializer(serializers.Serializer):
    nip = serializers.RegexField(r"^\d{18}$", required=False,
                                 help_text="Complete this participant only; omit to complete everyone eligible.")
    post_test_score = serializers.IntegerField(min_value=0, max_value=100, required=False,
                                               help_text="With nip: the post-test score to record first.")


AttendanceGridSerializer = inline_serializer("AttendanceGrid", {
    "session": serializers.IntegerField(), "meetings": serializers.ListField(child=serializers.DictField()),
    "participants": serializers.ListField(child=serializers.DictField()),
})


AttendanceSavedSerializer = inline_serializer("AttendanceSaved", {"saved": serializers.IntegerField()})


CompletionResultSerializer = inline_serializer("CompletionResult", {
    "completed": serializers.ListField(child=serializers.DictField()),
    "refused": serializers.ListField(child=serializers.DictField()),
})


# --- budget --------------------------------------------------------------------------------------

BREAKDOWNS = {"unit": "unit_name", "category": "category", "competency": "competency_code",
              "competency_type": "competency_type", "account": "account"}


def _clean(records):
    """JSON-safe rows: NaN and infinities become null, numpy numbers plain ones."""
    out = []
    for row in records:
        out.append({k: (None if isinstance(v, float) and not math.isfinite(v) else
                        (v.item() if hasattr(v, "item") else v)) for k, v in row.items()})
    return out


class PlanSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    # Plain strings, not enums: "status" and "method" would collide with other areas' enums in the schema.
    status = serializers.CharField(read_only=True, help_text="draft, submitted or approved.")
    method = serializers.CharField(read_only=True, help_text="optimised or greedy.")
    cycle = serializers.IntegerField(source="cycle.year", allow_null=True, default=None)
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    submitted_by = serializers.CharField(source="submitted_by.username", allow_null=True, default=None)
    approved_by = serializers.CharField(source="approved_by.username", allow_null=True, default=None)
    figures = serializers.JSONField(help_text="The run: objective, value (priority-weighted gap closure), bound, gap, "
                                              "lp_bound, lp_gap, seconds, seats, classes, spent, budget, "
                                              "reaching_minimum, employees.")

    class Meta:
        model = TrainingPlan
        fields = ["id", "agency", "fiscal_year", "cycle", "name", "method", "status", "figures", "parameters",
                  "envelopes", "created_by", "created_at", "submitted_by", "submitted_at", "approved_by",
                  "approved_at"]


class PlanDetailSerializer(PlanSerializer):
    summary = serializers.SerializerMethodField(help_text="Totals: cost, seats, participants, JP, closure, cost per "
                                                          "JP / participant / gap point, staff reaching 20 JP.")
    allocation = serializers.SerializerMethodField(help_text="Rows per unit, category, competency, competency type "
                                                             "and account: participants, seats, cost, jp, "
                                                             "expected_closure, cost_per_jp, cost_per_participant, "
                                                             "cost_per_point, share_of_cost.")
    planned_vs_spent = serializers.SerializerMethodField(help_text="Per account: planned, committed (enrolled), "
                                                                   "spent (completed), rupiah.")
    items = serializers.SerializerMethodField(help_text="The plan's lines with the national development plan's columns.")
    events = serializers.SerializerMethodField(help_text="Who did what, when.")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "summary", "allocation", "planned_vs_spent", "items", "events"]

    def _seats(self, plan):
        cache = self.context.setdefault("seats", {})
        if plan.pk not in cache:
            cache[plan.pk] = budget_service.plan_seats(plan)
        return cache[plan.pk]

    @extend_schema_field(serializers.DictField())
    def get_summary(self, plan):
        staff, reaching = budget_service.reaching_minimum(plan, self._seats(plan))
        return _clean([totals(self._seats(plan), staff=staff, reaching=reaching)])[0]

    @extend_schema_field(serializers.DictField(child=serializers.ListField(child=serializers.DictField())))
    def get_allocation(self, plan):
        seats = self._seats(plan)
        return {name: _clean(allocation(seats, column).rename(columns={column: name}).to_dict("records"))
                for name, column in BREAKDOWNS.items()}

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_planned_vs_spent(self, plan):
        return _clean(budget_service.planned_vs_spent(plan).to_dict("records"))

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_items(self, plan):
        return [{
            "course": item.course.code, "title": item.course.display_title, "classes": item.classes,
            "participants": item.n, "cost_per_participant": item.cost_per_participant,
            "cost_per_class": item.cost_per_class, "jp": item.jp, "expected_closure": item.expected_closure,
            "account": item.account, "competency_type": item.competency_type, "target_staff": item.target_staff,
            "route": item.route, "provider": item.provider, "schedule": item.schedule, "budget": item.budget,
        } for item in budget_service.plan_items(plan)]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_events(self, plan):
        return [{"action": e.action, "user": e.user.username if e.user else None, "at": e.at, "note": e.note}
                for e in plan.events.select_related("user")]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
