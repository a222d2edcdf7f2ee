"""API of the lms enrollments area: ``enrollments/`` — request, approve, reject, cancel, attendance.

Every write goes through ``lms.services``; a refused transition is a 400 whose ``detail`` says
why in words, a missing right a 403, and an enrollment the user may not see a 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from courses.models import Meeting
from tna.infra.api import EnrollmentWriteThrottle, ListRetrieveViewSet
from tna.roles import employee_of

from ..models import Enrollment
from ..selectors.enrollments import visible_enrollments, with_waitlist_position
from ..services.attendance import attendance_record
from ..services.delivery_access import delivered_sessions_q
from ..services.enrollment import (
    decision_message,
    enrollment_approve,
    enrollment_cancel,
    enrollment_reject,
    enrollment_request,
    status_message,
)
from .filters import EnrollmentFilter
from .permissions import EnrollmentPermission
from .serializers import (
    AttendanceSerializer,
    DecisionSerializer,
    EnrollmentRequestSerializer,
    EnrollmentResultSerializer,
    EnrollmentSerializer,
    ReasonSerializer,
)

urlpatterns = []


def register(router):
    """Register this area's viewsets on the lms router."""
    router.register("enrollments", EnrollmentViewSet, basename="enrollment")


def refused(error):
    """A 400 whose ``detail`` is the service's sentence (and ``code`` its machine name)."""
    messages = error.messages
    code = getattr(error, "code", None) or "invalid"
    return Response({"detail": " ".join(messages), "code": code}, status=status.HTTP_400_BAD_REQUEST)


class EnrollmentViewSet(ListRetrieveViewSet):
    """Enrollments you may see: your own, your reports' (down the supervisor chain) and, for a
    training admin, your agency's. ``POST`` asks for a seat (the one write path,
    ``enrollment_request``); actions approve, reject (with a reason), cancel, attendance."""

    serializer_class = EnrollmentSerializer
    permission_classes = [EnrollmentPermission]
    filterset_class = EnrollmentFilter

    def get_throttles(self):
        throttles = super().get_throttles()
        if getattr(self, "action", None) in ("create", "approve", "reject", "cancel"):
            throttles.append(EnrollmentWriteThrottle())
        return throttles

    def get_queryset(self):
        queryset = visible_enrollments(self.request.user)
        if getattr(self, "action", None) == "attendance":
            # Whoever runs the session marks everyone in it, whichever agency they come from.
            queryset = Enrollment.objects.filter(
                Q(pk__in=queryset.values("pk")) | delivered_sessions_q(self.request.user, "session__"))
        queryset = queryset.select_related(
            "employee", "session__course__agency"
        ).order_by("-requested_at", "-pk")
        return with_waitlist_position(queryset)

    def _result(self, enrollment, *, detail=None, code=status.HTTP_200_OK):
        """The enrollment with a sentence: to the person about themselves, to others about the decision."""
        enrollment = self.get_queryset().get(pk=enrollment.pk)
        me = employee_of(self.request.user)
        if detail is None:
            own = me is not None and me.pk == enrollment.employee_id
            detail = status_message(enrollment) if own else decision_message(enrollment)
        return Response({"detail": detail, "enrollment": EnrollmentSerializer(enrollment).data}, status=code)

    @extend_schema(request=EnrollmentRequestSerializer, responses={201: EnrollmentResultSerializer,
                                                                    200: EnrollmentResultSerializer})
    def create(self, request):
        """Ask for a seat. 201 with the new enrollment; 200 with the existing one when you already
        have a live request, seat or waitlist place in that session (your place is kept)."""
        payload = EnrollmentRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        employee = data.get("employee") or employee_of(request.user)
        if employee is None:
            # As on the site: an account that is nobody cannot ask for a seat (403, not a bad request).
            raise PermissionDenied(_("Your account is not linked to an employee record."))
        try:
            enrollment = enrollment_request(
                employee=employee, session=data["session"], user=request.user,
                recommendation=data.get("recommendation"), note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            return refused(error)
        if not enrollment.created:
            return self._result(enrollment, detail="%s %s" % (
                _("There is already a live enrollment for this session; nothing changed."),
                status_message(enrollment)))
        return self._result(enrollment, code=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=EnrollmentResultSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a request: a seat if one is free, else the end of the waitlist."""
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            enrollment = enrollment_approve(enrollment=self.get_object(), user=request.user,
                                            note=payload.validated_data.get("note", ""))
        except DjangoValidationError as error:
            return refused(error)
        return self._result(enrollment)

    @extend_schema(request=ReasonSerializer, responses=EnrollmentResultSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a request; ``reason`` is required and emailed to the person."""
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            enrollment = enrollment_reject(enrollment=self.get_object(), user=request.user,
                                           reason=payload.validated_data.get("reason", ""))
        except DjangoValidationError as error:
            return refused(error)
        return self._result(enrollment)

    @extend_schema(request=ReasonSerializer, responses=EnrollmentResultSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Withdraw (the person) or cancel (a training admin); a freed seat goes to the waitlist at once."""
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            enrollment = enrollment_cancel(enrollment=self.get_object(), user=request.user,
                                           reason=payload.validated_data.get("reason", ""))
        except DjangoValidationError as error:
            return refused(error)
        return self._result(enrollment)

    @extend_schema(request=AttendanceSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record whether the participant was at a meeting (training admins; ``lms.services.delivery``)."""
        payload = AttendanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        enrollment = self.get_queryset().prefetch_related(
            Prefetch("session__meetings", queryset=Meeting.objects.order_by("number"))
        ).get(pk=self.get_object().pk)
        number = payload.validated_data["meeting"]
        meeting = next((m for m in enrollment.session.meetings.all() if m.number == number), None)
        if meeting is None:
            return Response({"detail": _("This session has no meeting %d.") % number, "code": "meeting"},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            record = attendance_record(
                enrollment=enrollment, meeting=meeting, present=payload.validated_data["present"], user=request.user
            )
        except DjangoValidationError as error:
            return refused(error)
        return Response({"meeting": meeting.number, "present": record.status})
