"""Links sent outside the site: absolute page URLs and the signed invitation (RSVP) links.

An invitation link needs no sign-in, so its token is the key: it is signed with the site's
secret key and a salt of its own purpose (a token made for anything else, such as a calendar
feed or a password reset, never reads as one), names one enrollment in the state it was sent in
(a seat given up or cancelled ends it), and expires when the session ends, plus a grace period,
or at the latest ``LATIH_RSVP_LINK_MAX_DAYS`` after it was made.
"""

from urllib.parse import urljoin

from django.conf import settings as django_settings
from django.core import signing
from django.urls import NoReverseMatch, reverse

from .conf import settings

#: The purpose an invitation token is signed for; changing it ends every link already sent.
RSVP_SALT = "lms.enrollment.rsvp.v2"


class LinkRefused(Exception):
    """A link that cannot be used: ``reason`` is ``invalid``, ``expired`` or ``used``."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def absolute(url_name, *args):
    """``url_name`` reversed and made absolute on the site's base URL; '' when lms URLs are not mounted."""
    try:
        path = reverse(url_name, args=args)
    except NoReverseMatch:
        return ""
    return urljoin(django_settings.WAGTAILADMIN_BASE_URL, path)


def rsvp_token(enrollment):
    """The signed token of ``enrollment``'s invitation links, bound to its id, person and status."""
    return signing.dumps({"e": enrollment.pk, "p": enrollment.employee_id, "s": enrollment.status}, salt=RSVP_SALT)


def read_rsvp_token(token):
    """What an invitation token was made for: ``{"e": enrollment id, "p": employee id, "s": status}``.

    Raises ``LinkRefused("invalid")`` for a token that was forged, altered or made for another
    purpose, and ``LinkRefused("expired")`` for one older than ``LATIH_RSVP_LINK_MAX_DAYS``.
    Whether the enrollment still stands where the token left it is the caller's check.
    """
    try:
        payload = signing.loads(token, salt=RSVP_SALT, max_age=settings.RSVP_LINK_MAX_DAYS * 86400)
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkRefused("invalid") from None
    if not (isinstance(payload, dict) and isinstance(payload.get("e"), int) and isinstance(payload.get("p"), int)
            and isinstance(payload.get("s"), str)):
        raise LinkRefused("invalid")
    return payload


def rsvp_url(enrollment):
    return absolute("lms:enrollment-rsvp", rsvp_token(enrollment))
