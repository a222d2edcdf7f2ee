"""The portable learning record — competency profile, trainings, JP per year — as JSON and PDF (pure)."""

import io
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from tna.infra.formats import date_range_text, datetime_text, integer, number

from .certificates import BOLD, FONT, INK, MUTED, register_fonts

FORMAT = "latih.learning-record"
VERSION = 1


@dataclass
class RecordCompetency:
    """One row of the competency profile from the latest gap analysis (``observed`` None: no ratings)."""

    code: str
    name: str
    group: str
    required_level: int
    observed_level: float | None
    gap: float


@dataclass
class RecordTraining:
    """One credited training, in the national record's terms; dates are ``datetime.date``."""

    title: str
    year: int
    jp: int
    start_date: object
    end_date: object
    provider: str
    route: str
    competency_type: str
    certificate_number: str = ""
    verification_code: str = ""
    verify_url: str = ""
    competencies: list = field(default_factory=list)  # [{"code", "name", "level"}]


@dataclass
class LearningRecord:
    """Everything in one person's portable record; ``generated_at`` is an aware datetime."""

    name: str
    nip: str
    agency: str
    unit: str
    position: str
    grade: str
    employment: str
    generated_at: object
    cycle: int | None
    competencies: list  # [RecordCompetency]
    trainings: list  # [RecordTraining], newest first
    jp_minimum: int
    jp_by_year: dict = field(default_factory=dict)  # filled by ``__post_init__`` from the trainings

    def __post_init__(self):
        if not self.jp_by_year:
            totals = {}
            for training in self.trainings:
                totals[training.year] = totals.get(training.year, 0) + training.jp
            self.jp_by_year = dict(sorted(totals.items(), reverse=True))


def record_dict(record: LearningRecord) -> dict:
    """The record as JSON-ready data (ISO dates), stamped with its format and version."""
    trainings = []
    for training in record.trainings:
        item = asdict(training)
        item["start_date"] = training.start_date.isoformat()
        item["end_date"] = training.end_date.isoformat()
        trainings.append(item)
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": record.generated_at.isoformat(),
        "person": {
            "name": record.name, "nip": record.nip, "agency": record.agency, "unit": record.unit,
            "position": record.position, "grade": record.grade, "employment": record.employment,
        },
        "competency_profile": {
            "cycle": record.cycle,
            "competencies": [asdict(c) for c in record.competencies],
        },
        "trainings": trainings,
        "jp_per_year": [
            {"year": year, "jp": jp, "minimum": record.jp_minimum, "met": jp >= record.jp_minimum}
            for year, jp in record.jp_by_year.items()
        ],
    }


def pdf_styles():
    register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, textColor=INK, spaceAfter=2 * mm),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=12, leading=15, textColor=INK, spaceBefore=5 * mm,
                             spaceAfter=2 * mm),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK),
        "muted": ParagraphStyle("muted", fontName=FONT, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, textColor=INK),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=8, leading=10, textColor=INK),
    }


def pdf_table(rows, widths, styles):
    head, *body = rows
    data = [[Paragraph(str(c), styles["head"]) for c in head]]
    data += [[c if isinstance(c, Paragraph) else Paragraph(pdf_escape(c), styles["cell"]) for c in row] for row in body]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def pdf_escape(value):
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value):
    """A level or gap with one decimal, as the pages write it (``1,2``)."""
    return number(value, 1)


def record_pdf(record: LearningRecord) -> bytes:
    """The record as an A4 PDF: who, the competency profile, JP per year, and every training."""
    styles = pdf_styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=_("Learning record of %(name)s") % {"name": record.name}, author="Latih",
    )
    width = A4[0] - 32 * mm
    story = [
        Paragraph(pdf_escape(_("Learning record")), styles["title"]),
        Paragraph(pdf_escape(f"{record.name} · NIP {record.nip}"), styles["body"]),
        Paragraph(pdf_escape(" · ".join(p for p in (record.position, record.grade, record.employment) if p)),
                  styles["body"]),
        Paragraph(pdf_escape(" · ".join(p for p in (record.unit, record.agency) if p)), styles["body"]),
        Paragraph(pdf_escape(_("Generated on %(date)s") % {"date": datetime_text(record.generated_at, zone=True)}),
                  styles["muted"]),
    ]

    story.append(Paragraph(pdf_escape(_("JP per year")), styles["h2"]))
    if record.jp_by_year:
        rows = [[_("Year"), _("JP credited"), _("Yearly minimum")]]
        rows += [[year, integer(jp), (_("%(n)d JP: met") if jp >= record.jp_minimum else _("%(n)d JP: not yet met"))
                  % {"n": record.jp_minimum}] for year, jp in record.jp_by_year.items()]
        story.append(pdf_table(rows, [width * 0.2, width * 0.3, width * 0.5], styles))
    else:
        story.append(Paragraph(pdf_escape(_("No JP credited yet.")), styles["body"]))

    heading = (_("Competency profile (cycle %(year)s)") % {"year": record.cycle} if record.cycle
               else _("Competency profile"))
    story.append(Paragraph(pdf_escape(heading), styles["h2"]))
    if record.competencies:
        rows = [[_("Competency"), _("Required"), _("Observed"), _("Gap")]]
        rows += [[f"{c.code} {c.name}", c.required_level,
                  _number(c.observed_level) if c.observed_level is not None else _("no ratings yet"), _number(c.gap)]
                 for c in record.competencies]
        story.append(pdf_table(rows, [width * 0.55, width * 0.15, width * 0.15, width * 0.15], styles))
    else:
        story.append(Paragraph(pdf_escape(_("No gap analysis results yet.")), styles["body"]))

    story.append(Paragraph(pdf_escape(_("Trainings")), styles["h2"]))
    if record.trainings:
        rows = [[_("Training"), _("Dates"), _("JP"), _("Provider"), _("Certificate")]]
        for t in record.trainings:
            title = t.title
            if t.competencies:
                title += " — " + ", ".join("{} ({})".format(c["code"], c["level"]) for c in t.competencies)
            certificate = pdf_escape(t.certificate_number)
            if t.verification_code:
                certificate += "<br/>" + pdf_escape(_("code %(code)s") % {"code": t.verification_code})
            certificate = Paragraph(certificate, styles["cell"])
            rows.append([title, date_range_text(t.start_date, t.end_date), integer(t.jp), t.provider, certificate])
        story.append(pdf_table(rows, [width * 0.36, width * 0.19, width * 0.07, width * 0.18, width * 0.2], styles))
    else:
        story.append(Paragraph(pdf_escape(_("No completed training yet.")), styles["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether([Paragraph(pdf_escape(_(
        "Each certificate can be checked by anyone with its verification code on the public verification page."
    )), styles["muted"])]))
    doc.build(story)
    return buffer.getvalue()
