"""The evaluation report as files a planner hands to the head of the agency: XLSX (numbers stay numbers) and PDF."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from tna.infra.formats import datetime_text, integer, number, percent
from tna.infra.xlsx import DECIMAL_2, SHARE, WHOLE, XLSX_CONTENT_TYPE, workbook_bytes
from tna.models import Unit

from .record import pdf_escape, pdf_styles, pdf_table

CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "pdf": "application/pdf"}


def _title(report):
    return _("Training evaluation %(year)s — %(agency)s") % {"year": report["year"], "agency": report["agency"].name}


def _headers():
    return [_("Attended"), _("Respondents"), _("Response rate"), _("Reaction (1–5)"), _("Learning gain"),
            _("Gain, n"), _("Used at work, learners (1–5)"), _("Used at work, supervisors (1–5)"),
            _("Effect on observed level"), _("Interval, lower bound"), _("Interval, upper bound"),
            _("Trained staff"), _("Comparable untrained staff"), _("Evidence")]


def _evidence(effect):
    if not effect:
        return _("not measured")
    if not effect["enough"]:
        return _("not enough evidence")
    return _("credibly near zero") if effect["near_zero"] else _("enough")


def _cells(row):
    effect = row["effect"] or {}
    return [row["attended"], row["respondents"], row["response_rate"], row["reaction"], row["gain"], row["gain_n"],
            row["follow_learner"], row["follow_supervisor"], effect.get("estimate"), effect.get("low"),
            effect.get("high"), effect.get("n_treated"), effect.get("n_control"), _evidence(row["effect"])]


def report_xlsx(report) -> bytes:
    """One sheet of groups (course, provider…) with every level's figures, one of units for level 4."""
    group_label = dict(grouping_labels())[report["by"]]
    formats = {1: WHOLE, 2: WHOLE, 3: SHARE, 4: DECIMAL_2, 5: DECIMAL_2, 6: WHOLE, 7: DECIMAL_2, 8: DECIMAL_2,
               9: DECIMAL_2, 10: DECIMAL_2, 11: DECIMAL_2, 12: WHOLE, 13: WHOLE}
    rows = [[str(row["label"]), *_cells(row)] for row in report["rows"]]
    total = report["total"]
    rows.append([_("All training"), total["attended"], total["respondents"], total["response_rate"],
                 total["reaction"], total["gain"], total["gain_n"], total["follow_learner"],
                 total["follow_supervisor"], None, None, None, None, None, ""])
    units = report["units"]
    unit_rows = [[int(u.unit), int(u.staff), float(u.coverage), _nan(u.ikm_before), _nan(u.ikm_after),
                  _nan(u.share_good_before), _nan(u.share_good_after)] for u in units.itertuples()]
    names = _unit_names(units)
    unit_rows = [[names.get(r[0], r[0]), *r[1:]] for r in unit_rows]
    title = [_title(report)]
    return workbook_bytes([
        (_("Evaluation"), [title, [group_label, *_headers()]], rows, formats),
        (_("Units"), [title, [_("Unit"), _("Staff"), _("Share trained"), _("IKM before"), _("IKM after"),
                              _("Good or very good (SKP) before"), _("Good or very good (SKP) after")]],
         unit_rows, {1: WHOLE, 2: SHARE, 3: DECIMAL_2, 4: DECIMAL_2, 5: SHARE, 6: SHARE}),
    ])


def _nan(value):
    return None if value != value else float(value)  # NaN is the only value not equal to itself


def _unit_names(units):
    return dict(Unit.objects.filter(pk__in=[int(u) for u in units["unit"]]).values_list("pk", "name"))


def grouping_labels():
    """(code, label) of each way the report groups, in the active language."""
    return [("course", _("Course")), ("provider", _("Provider")), ("trainer", _("Trainer")),
            ("competency", _("Competency"))]


def _maybe(value, digits=2):
    return "—" if value is None else number(value, digits)


def report_pdf(report) -> bytes:
    """The report on A4 landscape: the headline figures, the table of groups, the level-4 association."""
    styles = pdf_styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=14 * mm, rightMargin=14 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm, title=_title(report), author="Latih")
    width = landscape(A4)[0] - 28 * mm
    total = report["total"]
    story = [
        Paragraph(pdf_escape(_title(report)), styles["title"]),
        Paragraph(pdf_escape(_("Generated on %(date)s") % {"date": datetime_text(timezone.now(), zone=True)}),
                  styles["muted"]),
        Paragraph(pdf_escape(summary_sentence(total)), styles["body"]),
    ]
    group_label = dict(grouping_labels())[report["by"]]
    head = [group_label, _("Attended"), _("Rated"), _("Reaction"), _("Learning gain"), _("Used at work"),
            _("Effect (levels)"), _("Trained / untrained"), _("Evidence")]
    rows = [head]
    for row in report["rows"]:
        effect = row["effect"] or {}
        interval = ""
        if effect.get("low") is not None:
            interval = " [%s; %s]" % (number(effect["low"], 2), number(effect["high"], 2))
        rows.append([
            str(row["label"]), integer(row["attended"]),
            "%s (%s)" % (integer(row["respondents"]), percent(row["response_rate"]) if row["response_rate"] is not None
                         else "—"),
            _("hidden (fewer than 5)") if row["hidden"] else _maybe(row["reaction"], 1),
            _maybe(row["gain"]) + (" (n = %s)" % integer(row["gain_n"]) if row["gain_n"] else ""),
            _maybe(row["follow_learner"], 1),
            (_maybe(effect.get("estimate")) + interval) if effect else "—",
            "%s / %s" % (integer(effect["n_treated"]), integer(effect["n_control"]))
            if effect.get("n_control") is not None else "—",
            _evidence(row["effect"]),
        ])
    story.append(Paragraph(pdf_escape(_("By %(grouping)s") % {"grouping": group_label.lower()}), styles["h2"]))
    story.append(pdf_table(rows, [width * w for w in (0.22, 0.09, 0.09, 0.07, 0.11, 0.09, 0.13, 0.09, 0.11)],
                           styles))
    association = report["association"]
    story.append(Paragraph(pdf_escape(_("Units: training coverage and results (an association, not an effect)")),
                           styles["h2"]))
    story.append(Paragraph(pdf_escape(association_sentence(association)), styles["body"]))
    doc.build(story)
    return buffer.getvalue()


def summary_sentence(total):
    """The year in a sentence or two: who took part, how they rated it, what was measured."""
    values = {
        "attended": integer(total["attended"]), "sessions": integer(total["sessions"]),
        "respondents": integer(total["respondents"]),
        "rate": percent(total["response_rate"]) if total["response_rate"] is not None else "—",
        "reaction": _maybe(total["reaction"], 1), "gain": _maybe(total["gain"]),
        "measured": integer(total["measured"]), "enough": integer(total["enough"]),
    }
    if total["sessions"]:
        first = _("%(attended)s participants attended %(sessions)s sessions; %(respondents)s rated them (%(rate)s). "
                  "Reaction %(reaction)s of 5; learning gain %(gain)s.") % values
    else:
        first = _("%(attended)s participants completed the training by the agency's records (the imported training "
                  "history), outside Latih's sessions: there are no ratings or tests of it here.") % values
    return first + " " + _("%(measured)s courses measured against comparable untrained staff, %(enough)s with "
                           "enough evidence.") % values


def association_sentence(association):
    """Level 4 in words: how coverage went with the change in IKM and in good SKP ratings, or why it cannot say."""
    parts = []
    for name, item in ((_("the service-satisfaction index (IKM)"), association.ikm),
                       (_("the share of good or very good SKP ratings"), association.share_good)):
        if item.enough and item.rho != item.rho:  # NaN: coverage or the change is the same everywhere
            parts.append(_("Training coverage or %(what)s changed alike in every unit, so there is nothing to relate.")
                         % {"what": name})
            continue
        if not item.enough:
            parts.append(_("Too few units with %(what)s in both years to say how it went with training "
                           "(%(n)s units).") % {"what": name, "n": integer(item.n_units)})
            continue
        parts.append(_("Across %(n)s units, the share of staff trained and the change in %(what)s go together with "
                       "a rank correlation of %(rho)s (95%% interval %(low)s to %(high)s).") % {
            "n": integer(item.n_units), "what": name, "rho": number(item.rho, 2), "low": number(item.low, 2),
            "high": number(item.high, 2)})
    parts.append(_("Units differ in many ways besides training: this is an association, not the effect of "
                   "training."))
    return " ".join(parts)
