"""API of the lms delivery area: my certificates and record, public certificate check, session attendance
and completion for training admins.

Writes go through ``lms.services.delivery``; a refusal is a 400 whose ``detail`` says why in
words, a missing right a 403, a session the user does not run a 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Meeting, Session
from tna.roles import employee_of

from ..certificates import normalise_code
from ..models import Attendance, Enrollment
from ..models.ledger import Certificate, CreditedCompetency, JpCredit
from ..record import record_dict
from ..services import delivery as service
from ..training_evidence import certificate_data, learning_record, verify_url


def register(router):
    """This area has no router viewsets: its paths are in ``urlpatterns``."""


# --- serializers ---------------------------------------------------------------------------------

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


def refused(error):
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


# --- the participant -----------------------------------------------------------------------------

class MyCertificatesView(generics.ListAPIView):
    """My completed trainings with their certificates, newest first."""

    serializer_class = CertificateSerializer

    def get_queryset(self):
        me = employee_of(self.request.user)
        if me is None:
            return JpCredit.objects.none()
        return (
            JpCredit.objects.filter(employee=me)
            .select_related("enrollment__certificate", "enrollment__evaluation")
            .prefetch_related(Prefetch("competency_levels",
                                       queryset=CreditedCompetency.objects.select_related("competency")))
            .order_by("-end_date", "-pk")
        )


class MyRecordView(APIView):
    """My portable learning record (the same JSON as the download on the site)."""

    @extend_schema(responses=OpenApiResponse(description="The learning record (format latih.learning-record)."))
    def get(self, request):
        me = employee_of(request.user)
        if me is None:
            raise NotFound("Your account is not linked to an employee record.")
        return Response(record_dict(learning_record(me, request)))


class CertificateVerifyView(APIView):
    """Public: whether a verification code belongs to a valid certificate, and whose (minimal data)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: VerificationSerializer, 404: OpenApiResponse(description="Unknown code.")})
    def get(self, request, code):
        normalised = normalise_code(code)
        certificate = Certificate.objects.filter(code=normalised).first() if normalised else None
        if certificate is None:
            raise NotFound("No certificate has this code.")
        data = certificate_data(certificate, request)
        return Response(VerificationSerializer({
            "valid": not certificate.revoked, "status": "revoked" if certificate.revoked else "valid",
            "name": data.name, "course": data.course, "completed_on": data.end_date, "jp": data.jp,
            "issued_by": data.agency, "number": data.number, "code": data.code,
        }).data)


# --- the training admin --------------------------------------------------------------------------

def _session(request, pk):
    session = get_object_or_404(Session.objects.select_related("course", "course__agency"), pk=pk)
    if not service.delivers(request.user, session):
        raise NotFound("No session you run has this id.")
    return session


class SessionAttendanceView(APIView):
    """A session's attendance grid (GET) and a batch of marks saved all or nothing (POST)."""

    @extend_schema(responses=inline_serializer("AttendanceGrid", {
        "session": serializers.IntegerField(), "meetings": serializers.ListField(child=serializers.DictField()),
        "participants": serializers.ListField(child=serializers.DictField()),
    }))
    def get(self, request, pk):
        session = _session(request, pk)
        meetings = list(Meeting.objects.filter(session=session).order_by("number"))
        people = list(service.completion_candidates(session))
        marks = {}
        for enrollment_id, number, mark in Attendance.objects.filter(enrollment__in=people).values_list(
                "enrollment_id", "meeting__number", "status"):
            marks.setdefault(enrollment_id, {})[str(number)] = mark
        active = sum(1 for m in meetings if not m.cancelled)
        return Response({
            "session": session.pk,
            "meetings": [{"number": m.number, "starts_at": m.starts_at, "ends_at": m.ends_at, "cancelled": m.cancelled}
                         for m in meetings],
            "participants": [{
                "enrollment": p.pk, "nip": p.employee.nip, "name": p.employee.name, "status": p.status,
                "attended": p.attended, "meetings": active, "post_test_score": p.post_test_score,
                "attendance": marks.get(p.pk, {}),
            } for p in people],
        })

    @extend_schema(request=MarksSerializer, responses=inline_serializer("AttendanceSaved", {
        "saved": serializers.IntegerField()}))
    def post(self, request, pk):
        session = _session(request, pk)
        payload = MarksSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        by_nip = {e.employee.nip: e.pk for e in service.roster(session)}
        by_number = dict(Meeting.objects.filter(session=session).values_list("number", "pk"))
        marks, problems = {}, []
        for index, mark in enumerate(payload.validated_data["marks"]):
            enrollment, meeting = by_nip.get(mark["nip"]), by_number.get(mark["meeting"])
            if enrollment is None:
                problems.append(f"marks[{index}]: nobody with NIP {mark['nip']} holds a seat in this session.")
            if meeting is None:
                problems.append(f"marks[{index}]: this session has no meeting {mark['meeting']}.")
            if enrollment and meeting:
                marks[(enrollment, meeting)] = mark["present"]
        if problems:
            return Response({"detail": " ".join(problems)}, status=status.HTTP_400_BAD_REQUEST)
        try:
            saved = service.attendance_save(session=session, marks=marks, user=request.user)
        except DjangoValidationError as error:
            return refused(error)
        return Response({"saved": saved})


class SessionCompleteView(APIView):
    """Complete one participant (``nip``) or everyone eligible in the session; JP credited, certificates issued."""

    @extend_schema(request=CompleteSerializer, responses=inline_serializer("CompletionResult", {
        "completed": serializers.ListField(child=serializers.DictField()),
        "refused": serializers.ListField(child=serializers.DictField()),
    }))
    def post(self, request, pk):
        session = _session(request, pk)
        payload = CompleteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        nip = payload.validated_data.get("nip")
        if nip:
            enrollment = (Enrollment.objects.filter(session=session, employee__nip=nip).holding_seat()
                          .select_related("employee", "session").first())
            if enrollment is None:
                raise NotFound("Nobody with this NIP holds a seat in this session.")
            try:
                done = service.enrollment_complete(enrollment=enrollment, user=request.user,
                                                   post_test_score=payload.validated_data.get("post_test_score"))
            except DjangoValidationError as error:
                return refused(error)
            result = service.CompletionResult(completed=[done])
        else:
            result = service.session_complete_eligible(session=session, user=request.user)
        codes = dict(Certificate.objects.filter(enrollment__in=result.completed).values_list("enrollment_id", "code"))
        return Response({
            "completed": [{"nip": e.employee.nip, "name": e.employee.name, "certificate_code": codes.get(e.pk, "")}
                          for e in result.completed],
            "refused": [{"nip": e.employee.nip, "name": e.employee.name, "reason": reason}
                        for e, reason in result.refused],
        })


urlpatterns = [
    path("me/certificates/", MyCertificatesView.as_view(), name="me-certificates"),
    path("me/record/", MyRecordView.as_view(), name="me-record"),
    path("certificates/<str:code>/", CertificateVerifyView.as_view(), name="api-certificate-verify"),
    path("delivery/sessions/<int:pk>/attendance/", SessionAttendanceView.as_view(), name="session-attendance"),
    path("delivery/sessions/<int:pk>/complete/", SessionCompleteView.as_view(), name="session-complete"),
]
