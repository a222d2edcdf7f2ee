"""Delivery pages: the training admin's roster (attendance, scores, completion, evaluation results), the
national export, certificates and their public verification, the participant's portable record.

The participant's rating and follow-up pages are in ``lms.views.evaluation``."""

import csv
import datetime
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tna.infra.row_errors import ImportRejected
from tna.models import Agency
from tna.roles import TRAINING_ADMIN, employee_of, has_role

from .. import national
from ..certificates import certificate_pdf
from ..conf import settings
from ..models import Attendance
from ..record import record_dict, record_pdf
from ..selectors import delivery as selectors
from ..selectors import evaluation as evaluation_selectors
from ..services.attendance_import import attendance_import
from ..services.completion import (
    completion_refusal,
    enrollment_complete,
    session_complete_eligible,
    session_not_ready,
)
from ..services.delivery_access import delivers, delivers_for
from ..services.roster import roster_save
from ..training_evidence import certificate_data, completed_training, learning_record

UPLOAD_LIMIT = 5 * 1024 * 1024


# --- the training admin's pages ------------------------------------------------------------------

def _require_admin(user):
    if not (getattr(user, "is_superuser", False) or (has_role(user, TRAINING_ADMIN) and employee_of(user))):
        raise PermissionDenied(_("This page is for your agency's training admins."))


@login_required
@require_GET
def session_list(request):
    """The agency's sessions that have begun or are about to, newest first, with participants and completions."""
    _require_admin(request.user)
    soon = timezone.now() + datetime.timedelta(days=7)
    sessions = selectors.delivery_sessions(request.user, starts_before=soon)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "lms/delivery/sessions.html", {"page": page, "now": timezone.now()})


def _session_for_admin(request, session_id):
    _require_admin(request.user)
    session = get_object_or_404(selectors.sessions_for_delivery(), pk=session_id)
    if not delivers(request.user, session):
        raise Http404(_("No session you run has this number."))
    return session


def _roster_context(session):
    now = timezone.now()
    meetings = selectors.session_meetings(session)
    active = [m for m in meetings if not m.cancelled]
    people = list(selectors.completion_candidates(session))
    marks = selectors.attendance_marks(people)
    pre = selectors.pre_test_scores(people)
    session_ready = session_not_ready(session, active, now)
    rows = []
    for person in people:
        editable = person.status in selectors.ATTENDING
        cells = []
        for meeting in meetings:
            status = marks.get((person.pk, meeting.pk), "")
            cells.append({
                "meeting": meeting, "status": status, "name": f"a-{person.pk}-{meeting.pk}",
                "editable": editable and not meeting.cancelled and meeting.starts_at <= now,
            })
        refusal = None
        if editable:
            refusal = session_ready or completion_refusal(
                attended=person.attended, meetings=len(active), has_post_test=session.course.has_post_test,
                post_test_score=person.post_test_score,
            )
        rows.append({
            "enrollment": person, "cells": cells, "pre": pre.get(person.pk), "editable": editable,
            "share": round(100 * person.attended / len(active)) if active else 0,
            "refusal": refusal, "eligible": editable and refusal is None,
        })
    return {
        "session": session, "meetings": meetings, "rows": rows, "now": now,
        "eligible_count": sum(1 for r in rows if r["eligible"]),
        "minimum_share": round(100 * settings.COMPLETION_ATTENDANCE),
        "pass_score": settings.POST_TEST_PASS,
        "evaluations": selectors.session_ratings(session), "tests": selectors.session_test_averages(session),
        "comments": selectors.session_comments(session),
        "response": evaluation_selectors.session_response_rate(session),
        "question_ratings": evaluation_selectors.session_question_ratings(session),
        "follow_up": evaluation_selectors.course_follow_up_summary(session.course),
        "minimum_respondents": settings.EVALUATION_MIN_RESPONDENTS,
    }


def _save_grid(request, session, context):
    """Save the ticked attendance and the test scores of the posted roster, all or nothing."""
    marks = {}
    for row in context["rows"]:
        for cell in row["cells"]:
            if not cell["editable"]:
                continue
            ticked = request.POST.get(cell["name"]) == "on"
            key = (row["enrollment"].pk, cell["meeting"].pk)
            if ticked:
                marks[key] = Attendance.Status.PRESENT
            elif cell["status"] != Attendance.Status.EXCUSED:
                # Unticked means absent, but an excuse already on record stays.
                marks[key] = Attendance.Status.ABSENT
    scores = {}
    for row in context["rows"]:
        enrollment = row["enrollment"]
        changes = {}
        for field, current in (("pre", row["pre"]), ("post", enrollment.post_test_score)):
            raw = (request.POST.get(f"{field}-{enrollment.pk}") or "").strip()
            if raw == ("" if current is None else str(current)):
                continue
            changes[f"{field}_test_score"] = raw or None
        if changes:
            scores[enrollment] = changes
    return roster_save(session=session, marks=marks, scores=scores, user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def session_roster(request, session_id):
    """One session's roster: tick attendance per meeting, enter test scores, complete participants."""
    session = _session_for_admin(request, session_id)
    context = _roster_context(session)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            _save_grid(request, session, context)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("lms:delivery-roster", session_id=session.pk)
        if action == "complete-all":
            result = session_complete_eligible(session=session, user=request.user)
            _report(request, result)
        elif action.startswith("complete-"):
            enrollment = get_object_or_404(selectors.session_enrollments(session), pk=action.removeprefix("complete-"))
            try:
                enrollment_complete(enrollment=enrollment, user=request.user)
            except ValidationError as error:
                messages.error(request, "{}: {}".format(enrollment.employee.name, " ".join(error.messages)))
            else:
                messages.success(request, _("%(name)s has completed the course; the JP are credited and the "
                                            "certificate issued.") % {"name": enrollment.employee.name})
        else:
            messages.success(request, _("Attendance and scores saved."))
        return redirect("lms:delivery-roster", session_id=session.pk)
    context["upload_errors"] = request.session.pop("lms_attendance_errors", None)
    return render(request, "lms/delivery/roster.html", context)


def _report(request, result):
    if result.completed:
        messages.success(request, ngettext(
            "%(n)d participant completed the course; their JP are credited and a certificate issued.",
            "%(n)d participants completed the course; their JP are credited and certificates issued.",
            len(result.completed),
        ) % {"n": len(result.completed)})
    if not result.completed and not result.refused:
        messages.info(request, _("Nobody is waiting for completion in this session."))
    for enrollment, reason in result.refused:
        messages.warning(request, f"{enrollment.employee.name}: {reason}")


@login_required
@require_POST
def attendance_upload(request, session_id):
    """Import attendance from a CSV/XLSX file (nip, meeting or date, present); nothing is saved on any error."""
    session = _session_for_admin(request, session_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file to upload."))
    elif upload.size > UPLOAD_LIMIT:
        messages.error(request, _("The file is larger than 5 MB."))
    else:
        try:
            saved = attendance_import(session=session, data=upload.read(), filename=upload.name,
                                              user=request.user)
        except ImportRejected as rejected:
            messages.error(request, str(rejected))
            request.session["lms_attendance_errors"] = [str(e) for e in rejected.errors[:200]]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ngettext("%(n)d attendance row imported.", "%(n)d attendance rows imported.", saved) % {"n": saved})
    return redirect("lms:delivery-roster", session_id=session.pk)


@login_required
@require_GET
def attendance_template(request, session_id):
    """A CSV to fill in: one row per participant and meeting held so far, ``present`` left empty."""
    session = _session_for_admin(request, session_id)
    meetings = selectors.held_meetings(session, timezone.now())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["nip", "name", "meeting", "date", "present"])
    for enrollment in selectors.attending_roster(session):
        for meeting in meetings:
            day = timezone.localtime(meeting.starts_at, session.tz).date().isoformat()
            writer.writerow([enrollment.employee.nip, enrollment.employee.name, meeting.number, day, ""])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{session.course.code}-{session.pk}.csv"'
    return response


class ExportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False,
                              help_text=gettext_lazy("Empty for every year."))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")],
                               initial="xlsx")
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.all(), required=False,
                                    to_field_name="code", empty_label=gettext_lazy("All agencies"))


@login_required
@require_GET
def national_export(request):
    """Completed training of the agency's staff in the national record's columns (CSV or XLSX)."""
    _require_admin(request.user)
    form = ExportForm(request.GET or None, initial={"year": timezone.localdate().year})
    if not request.user.is_superuser:
        del form.fields["agency"]
    if not request.GET or not form.is_valid():
        return render(request, "lms/delivery/export.html", {"form": form, "columns": national.COLUMNS})
    if request.user.is_superuser:
        agency = form.cleaned_data.get("agency")
    else:
        agency = employee_of(request.user).agency
    year, kind = form.cleaned_data["year"], form.cleaned_data["format"]
    rows = national.national_rows(national.credits_for_export(agency=agency, year=year))
    body = national.national_csv(rows) if kind == "csv" else national.national_xlsx(rows)
    name = "riwayat-kursus-{}-{}.{}".format(agency.code if agency else "semua", year or "semua", kind)
    response = HttpResponse(body, content_type=national.CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- certificates --------------------------------------------------------------------------------

@require_GET
def certificate_verify(request, code=None):
    """Public: enter or open a verification code and see whether the certificate is valid, and whose."""
    asked = code if code is not None else request.GET.get("code")
    context = {"asked": asked, "result": None}
    if asked:
        certificate = selectors.certificate_by_code(asked)
        if certificate is None:
            context["result"] = "unknown"
        else:
            data = certificate_data(certificate, request)
            context.update(result="revoked" if certificate.revoked else "valid", certificate=certificate, data=data)
    status = 404 if context["result"] == "unknown" else 200
    return render(request, "lms/delivery/verify.html", context, status=status)


def _visible_certificate(request, code):
    certificate = get_object_or_404(selectors.certificates_with_holder(), code=code)
    me = employee_of(request.user)
    own = me is not None and me.pk == certificate.enrollment.employee_id
    if not (own or delivers_for(request.user, certificate.enrollment)):
        raise Http404(_("No certificate of yours has this code."))
    return certificate


@login_required
@require_GET
def certificate_download(request, code):
    """The certificate as PDF, for its holder and the training admins."""
    certificate = _visible_certificate(request, code)
    body = certificate_pdf(certificate_data(certificate, request))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.code}.pdf"'
    return response


# --- the participant's pages ---------------------------------------------------------------------

def _me(request):
    me = employee_of(request.user)
    if me is None:
        raise Http404(_("Your account is not linked to an employee record."))
    return me


@login_required
@require_GET
def my_training(request):
    """My completed training with certificates, and my portable learning record."""
    me = _me(request)
    return render(request, "lms/delivery/my_training.html", {
        "employee": me, "trainings": list(completed_training(me)), "own": True,
        "to_rate": selectors.enrollments_to_rate(me),
    })


@login_required
@require_GET
def record_json(request):
    """My portable learning record as JSON (only my own)."""
    me = _me(request)
    data = record_dict(learning_record(me, request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="rekam-pembelajaran-{me.nip}.json"'
    return response


@login_required
@require_GET
def record_pdf_view(request):
    """My portable learning record as PDF (only my own)."""
    me = _me(request)
    response = HttpResponse(record_pdf(learning_record(me, request)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rekam-pembelajaran-{me.nip}.pdf"'
    return response

