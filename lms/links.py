"""Links sent outside the site: absolute page URLs and the signed invitation (RSVP) links."""

from urllib.parse import urljoin

from django.conf import settings as django_settings
from django.core import signing
from django.urls import NoReverseMatch, reverse

RSVP_SALT = "lms.enrollment.rsvp"


def absolute(url_name, *args):
    """``url_name`` reversed and made absolute on the site's base URL; '' when lms URLs are not mounted."""
    try:
        path = reverse(url_name, args=args)
    except NoReverseMatch:
        return ""
    return urljoin(django_settings.WAGTAILADMIN_BASE_URL, path)


def rsvp_token(enrollment):
    """The signed token of ``enrollment``'s invitation links (no login needed to answer)."""
    return signing.dumps(enrollment.pk, salt=RSVP_SALT)


def rsvp_enrollment_id(token):
    """The enrollment id a token was made for, or None when it was tampered with."""
    try:
        return int(signing.loads(token, salt=RSVP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def rsvp_url(enrollment):
    return absolute("lms:enrollment-rsvp", rsvp_token(enrollment))
