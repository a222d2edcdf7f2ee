"""Certificates: the printed number a completion issues, and withdrawing one issued in error."""

from .delivery_access import require_delivery


def certificate_number(*, agency_code, year, enrollment_id):
    """The certificate's printed number, unique because the enrollment is (e.g. SERT/KOTA-CONTOH/2026/000042)."""
    return f"SERT/{agency_code.upper()[:16]}/{year}/{enrollment_id:06d}"


def certificate_revoke(*, certificate, user):
    """Withdraw a certificate issued in error: the public page then shows it as not valid."""
    require_delivery(user, certificate.enrollment)
    certificate.revoked = True
    certificate.save(update_fields=["revoked"])
    return certificate
