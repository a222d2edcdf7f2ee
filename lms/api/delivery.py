"""API of the lms delivery area: my certificates and record, public certificate check, session attendance
and completion for training admins.

Writes go through ``lms.services`` (attendance, completion); a refusal is a 400 whose ``detail`` says
why in words, a missing right a 403, a session the user does not run a 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from tna.infra.api import APIView, ListAPIView
from tna.roles import employee_of

from ..models.ledger import JpCredit
from ..record import record_dict
from ..selectors import delivery as selectors
from ..services.attendance import attendance_save
from ..services.completion import CompletionResult, enrollment_complete, session_complete_eligible
from ..services.delivery_access import delivers
from ..training_evidence import certificate_data, learning_record
from .serializers import (
    AttendanceGridSerializer,
    AttendanceSavedSerializer,
    CertificateSerializer,
    CompleteSerializer,
    CompletionResultSerializer,
    MarksSerializer,
    VerificationSerializer,
)


def register(router):
    """This area has no router viewsets: its paths are in ``urlpatterns``."""


def refused(error):
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


# --- the participant -----------------------------------------------------------------------------

class MyCertificatesView(ListAPIView):
    """My completed trainings with their certificates, newest first."""

    serializer_class = CertificateSerializer

    def get_queryset(self):
        me = employee_of(self.request.user)
        if me is None:
            return JpCredit.objects.none()
        return selectors.credited_trainings(me)


class MyRecordView(APIView):
    """My portable learning record (the same JSON as the download on the site)."""

    error_statuses = [404]  # an account not linked to an employee has no record

    @extend_schema(responses=OpenApiResponse(OpenApiTypes.OBJECT, description="The learning record (format latih.learning-record)."))
    def get(self, request):
        me = employee_of(request.user)
        if me is None:
            raise NotFound("Your account is not linked to an employee record.")
        return Response(record_dict(learning_record(me, request)))


class CertificateVerifyView(APIView):
    """Public: whether a verification code belongs to a valid certificate, and whose (minimal data)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=VerificationSerializer)
    def get(self, request, code):
        certificate = selectors.certificate_by_code(code)
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
    session = get_object_or_404(selectors.sessions_for_delivery(), pk=pk)
    if not delivers(request.user, session):
        raise NotFound("No session you run has this id.")
    return session


class SessionAttendanceView(APIView):
    """A session's attendance grid (GET) and a batch of marks saved all or nothing (POST)."""

    @extend_schema(responses=AttendanceGridSerializer)
    def get(self, request, pk):
        session = _session(request, pk)
        meetings = selectors.session_meetings(session)
        people = list(selectors.completion_candidates(session))
        marks = selectors.attendance_by_number(people)
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

    @extend_schema(request=MarksSerializer, responses=AttendanceSavedSerializer)
    def post(self, request, pk):
        session = _session(request, pk)
        payload = MarksSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        by_nip = {e.employee.nip: e.pk for e in selectors.roster(session)}
        by_number = selectors.meeting_ids_by_number(session)
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
            saved = attendance_save(session=session, marks=marks, user=request.user)
        except DjangoValidationError as error:
            return refused(error)
        return Response({"saved": saved})


class SessionCompleteView(APIView):
    """Complete one participant (``nip``) or everyone eligible in the session; JP credited, certificates issued."""

    @extend_schema(request=CompleteSerializer, responses=CompletionResultSerializer)
    def post(self, request, pk):
        session = _session(request, pk)
        payload = CompleteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        nip = payload.validated_data.get("nip")
        if nip:
            enrollment = selectors.seat_holder(session, nip)
            if enrollment is None:
                raise NotFound("Nobody with this NIP holds a seat in this session.")
            try:
                done = enrollment_complete(enrollment=enrollment, user=request.user,
                                           post_test_score=payload.validated_data.get("post_test_score"))
            except DjangoValidationError as error:
                return refused(error)
            result = CompletionResult(completed=[done])
        else:
            result = session_complete_eligible(session=session, user=request.user)
        codes = selectors.certificate_codes(result.completed)
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
