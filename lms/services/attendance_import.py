"""Attendance from a CSV or XLSX file (nip, meeting or date, present), saved all or nothing."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Meeting, Session
from tna.conf import settings as tna_settings
from tna.infra.cells import nip_text
from tna.infra.formats import number
from tna.infra.row_errors import ErrorList, ImportRejected, RowError
from tna.infra.spreadsheets import fold, read_table

from ..selectors.delivery import roster
from .attendance import (
    ABSENT,
    EXCUSED,
    PRESENT,
    attendance_marks_write,
    attendance_problem,
    session_attendance_problem,
)
from .delivery_access import delivers

PRESENT_WORDS = {
    "1": PRESENT, "yes": PRESENT, "y": PRESENT, "ya": PRESENT, "true": PRESENT, "present": PRESENT, "hadir": PRESENT,
    "0": ABSENT, "no": ABSENT, "n": ABSENT, "tidak": ABSENT, "false": ABSENT, "absent": ABSENT,
    "tidak hadir": ABSENT, "absen": ABSENT, "alpa": ABSENT,
    "excused": EXCUSED, "izin": EXCUSED, "ijin": EXCUSED, "sakit": EXCUSED,
}
NUMBER_COLUMNS = ("meeting", "meeting_number")
DATE_COLUMNS = ("date", "meeting_date")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def _parse_date(text):
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def attendance_import(*, session, data, user, filename=""):
    """Import attendance for ``session`` from a CSV or XLSX file; all or nothing.

    Columns: ``nip``, ``meeting`` (the meeting's number) or ``date`` (its date, when the session
    meets once that day), and ``present`` (yes/no, 1/0, hadir/tidak, or excused/izin). Raises
    ``ImportRejected`` with every problem as row + column + reason; returns the rows saved.
    ``data`` is bytes or a file; it may hold ``LATIH_IMPORT_MAX_BYTES``, and no more rows than
    the session has seats times meetings.
    """
    if not delivers(user, session):
        raise PermissionDenied(_("Only a training admin of the course's agency can record attendance."))
    size = len(data) if isinstance(data, (bytes, bytearray)) else getattr(data, "size", 0)
    if size > tna_settings.IMPORT_MAX_BYTES:
        raise ImportRejected([_row_error(1, "", _("The file is larger than %(limit)s MB.") % {
            "limit": number(tna_settings.IMPORT_MAX_BYTES / (1024 * 1024), 0)})])
    table = read_table(data, filename=filename, max_rows=tna_settings.IMPORT_MAX_ROWS)
    errors = ErrorList()
    for column in ("nip", "present"):
        if column not in table.columns:
            errors.add(1, column, _("Required column \"%(column)s\" is missing. The header must name: "
                                    "nip, meeting (or date), present.") % {"column": column}, "")
    number_column = next((c for c in NUMBER_COLUMNS if c in table.columns), None)
    date_column = next((c for c in DATE_COLUMNS if c in table.columns), None)
    if number_column is None and date_column is None:
        errors.add(1, "meeting", _("Name the meeting in a column \"meeting\" (its number) or \"date\"."), "")
    errors.raise_if_any()

    now = timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("course", "course__agency").get(pk=session.pk)
        problem = session_attendance_problem(session)
        if problem:
            raise ImportRejected([_row_error(1, "", problem)])
        by_nip = {e.employee.nip: e for e in roster(session)}
        meetings = list(Meeting.objects.filter(session=session).order_by("number"))
        # One row per participant and meeting at most: a longer file is refused before it is read.
        table.rows.max_rows = min(tna_settings.IMPORT_MAX_ROWS, max(1, len(by_nip) * len(meetings)))
        table.rows.too_many = _("The file has more than %(limit)s rows, one for each participant and "
                                "meeting of this session.")
        by_number = {m.number: m for m in meetings}
        by_date = {}
        for meeting in meetings:
            if not meeting.cancelled:
                by_date.setdefault(timezone.localtime(meeting.starts_at, session.tz).date(), []).append(meeting)
        rows, seen = [], {}
        for row in table.rows:
            nip = nip_text(row, "nip", errors)
            enrollment = None
            if nip is not None:
                enrollment = by_nip.get(nip)
                if enrollment is None:
                    errors.add(row, "nip", _("Nobody with this NIP holds a seat in this session."))
            meeting = _meeting_of(row, errors, number_column, date_column, by_number, by_date)
            status = PRESENT_WORDS.get(fold(row.get("present")))
            if status is None:
                errors.add(row, "present", _("Write yes or no (also 1/0, hadir/tidak), or excused (izin)."))
            if enrollment is None or meeting is None or status is None:
                continue
            problem = attendance_problem(enrollment, meeting, now)
            if problem:
                errors.add(row, "meeting", problem, row.get(number_column or date_column))
                continue
            first = seen.setdefault((enrollment.pk, meeting.pk), row.number)
            if first != row.number:
                errors.add(row, "nip", _("This person's attendance at this meeting is already in row %(row)d.")
                           % {"row": first})
                continue
            rows.append((enrollment, meeting, status))
        errors.raise_if_any()
        attendance_marks_write(rows, user=user, now=now)
    return len(rows)


def _row_error(row, column, message):
    return RowError(row, column, "", str(message))


def _meeting_of(row, errors, number_column, date_column, by_number, by_date):
    if number_column and row.get(number_column):
        text = row.get(number_column)
        meeting = by_number.get(int(text)) if text.isdigit() else None
        if meeting is None:
            errors.add(row, number_column, _("This session has no meeting with this number (1 to %(n)d).")
                       % {"n": max(by_number, default=0)})
        return meeting
    if date_column and row.get(date_column):
        day = _parse_date(row.get(date_column))
        if day is None:
            errors.add(row, date_column, _("Write the date as YYYY-MM-DD or DD-MM-YYYY."))
            return None
        found = by_date.get(day, [])
        if not found:
            errors.add(row, date_column, _("This session does not meet on this date."))
            return None
        if len(found) > 1:
            errors.add(row, date_column, _("The session meets more than once that day: give the meeting number."))
            return None
        return found[0]
    errors.add(row, number_column or date_column, _("Give the meeting's number or date."))
    return None
