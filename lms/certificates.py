"""The PDF certificate of a completed training, built from plain data (no ORM) with ReportLab."""

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tna.infra.formats import date_range_text, date_text

FONT, BOLD = "LatihSans", "LatihSans-Bold"
INK = HexColor("#1f2a44")
ACCENT = HexColor("#0b6e4f")
MUTED = HexColor("#5b6475")
NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(text):
    """A verification code as typed (``' 7kq4 m2xd-9pra '``) → ``'7KQ4-M2XD-9PRA'``; None if it cannot be one."""
    raw = NOT_CODE.sub("", (text or "").upper())
    if len(raw) != 12:
        return None
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def register_fonts():
    """Register the TrueType fonts shipped with ReportLab (Bitstream Vera: wide Latin coverage).

    The PDF's built-in Helvetica only knows Latin-1; names and titles may hold other letters.
    """
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "VeraBd.ttf")))


@dataclass(frozen=True)
class CertificateData:
    """What a certificate shows. Dates are ``datetime.date``; ``verify_url`` is absolute."""

    name: str
    nip: str
    course: str
    jp: int
    start_date: object
    end_date: object
    agency: str
    provider: str
    number: str
    code: str
    verify_url: str
    issued_on: object
    competencies: list = field(default_factory=list)  # ["M.05 Pelayanan Publik (level 3)", …]
    revoked: bool = False


def _centred(pdf, text, y, font, size, colour=INK, width=None):
    """Draw ``text`` centred, wrapped to ``width``; returns the y below the last line."""
    page_width = pdf._pagesize[0]
    width = width or page_width - 60 * mm
    pdf.setFont(font, size)
    pdf.setFillColor(colour)
    for line in simpleSplit(text, font, size, width):
        pdf.drawCentredString(page_width / 2, y, line)
        y -= size * 1.3
    return y


def certificate_pdf(data: CertificateData) -> bytes:
    """One A4 landscape page: who, what, how many JP, when, by whom, and how to verify it."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(_("Certificate %(number)s") % {"number": data.number})
    pdf.setAuthor(data.agency)
    pdf.setSubject(data.course)

    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    y = height - 38 * mm
    y = _centred(pdf, data.agency.upper(), y, BOLD, 13, MUTED)
    y = _centred(pdf, _("CERTIFICATE"), y - 6 * mm, BOLD, 30, ACCENT)
    y = _centred(pdf, _("No. %(number)s") % {"number": data.number}, y, FONT, 10, MUTED)
    y = _centred(pdf, _("is awarded to"), y - 6 * mm, FONT, 12)
    y = _centred(pdf, data.name, y - 3 * mm, BOLD, 24)
    y = _centred(pdf, _("NIP %(nip)s") % {"nip": data.nip}, y, FONT, 11, MUTED)
    y = _centred(pdf, _("for completing the training"), y - 5 * mm, FONT, 12)
    y = _centred(pdf, data.course, y - 2 * mm, BOLD, 17)
    y = _centred(
        pdf,
        _("%(jp)d JP (lesson hours) · %(dates)s · held by %(provider)s")
        % {"jp": data.jp, "dates": date_range_text(data.start_date, data.end_date), "provider": data.provider},
        y - 1 * mm, FONT, 11,
    )
    if data.competencies:
        y = _centred(pdf, _("Competencies developed: %(list)s") % {"list": "; ".join(data.competencies)},
                     y - 1 * mm, FONT, 9.5, MUTED)

    # Verification block: the code, the public page, and the same address as a QR code.
    qr_size = 30 * mm
    qr = QrCodeWidget(data.verify_url, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, width - 22 * mm - qr_size, 22 * mm)
    pdf.setFillColor(INK)
    pdf.setFont(FONT, 10)
    left = 24 * mm
    pdf.drawString(left, 40 * mm, _("Issued on %(date)s") % {"date": date_text(data.issued_on)})
    pdf.setFont(BOLD, 12)
    pdf.drawString(left, 33 * mm, _("Verification code: %(code)s") % {"code": data.code})
    pdf.setFont(FONT, 9.5)
    pdf.drawString(left, 27 * mm, _("Check that this certificate is genuine at:"))
    pdf.setFillColor(ACCENT)
    pdf.drawString(left, 22.5 * mm, data.verify_url)
    pdf.linkURL(data.verify_url, (left, 21 * mm, left + pdf.stringWidth(data.verify_url, FONT, 9.5), 26 * mm))
    if data.revoked:
        pdf.saveState()
        pdf.setFillColor(HexColor("#b00020"))
        pdf.setFont(BOLD, 48)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(20)
        pdf.drawCentredString(0, 0, _("REVOKED"))
        pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
