"""Template tags of mentoring sessions: ``{% session_rows sessions me_role as rows %}`` for the sessions list."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from ..services.mentoring_sessions import available_actions, own_notes

register = template.Library()


@dataclass(frozen=True)
class SessionRow:
    """One session as its viewer sees it: what they may do and their own private notes (nobody else's)."""

    session: object
    actions: frozenset
    notes: str
    past: bool


@register.simple_tag
def session_rows(sessions, me_role=""):
    """The rows of ``_sessions.html``: ``rows.items`` (every session, in the order given) and ``rows.next``
    (the first planned session not over yet, or None). ``me_role`` is ``mentor``, ``mentee`` or '' (HR)."""
    now = timezone.now()
    items = [SessionRow(session=s, actions=available_actions(s, me_role, now), notes=own_notes(s, me_role),
                        past=s.ends_at < now) for s in sessions]
    upcoming = [r.session for r in items if r.session.status == "planned" and not r.past]
    return {"items": items, "next": min(upcoming, key=lambda s: s.starts_at) if upcoming else None}
