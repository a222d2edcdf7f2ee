"""An agency's catalogue and career pages are edited by that agency's training admins and planners.

Wagtail grants page permissions per group and subtree; Latih's roles are groups shared by every
agency, so a GroupPagePermission would let one agency edit another's pages. Instead the two page
types answer ``permissions_for_user`` themselves: a training admin or planner of the page's agency
may edit and publish it — not move, delete or add pages — on top of whatever groups grant.
Superusers keep every right; a page without an agency is theirs alone.
"""

from wagtail.models import PagePermissionTester

from tna.roles import PLANNER, TRAINING_ADMIN, has_role, user_agency

AGENCY_PAGE_ACTIONS = frozenset({"change", "publish"})


def is_agency_page_editor(user, agency_id):
    """True when ``user`` is a training admin or planner of agency ``agency_id``."""
    if agency_id is None or not getattr(user, "is_authenticated", False):
        return False
    agency = user_agency(user)
    return (
        agency is not None and agency.pk == agency_id
        and (has_role(user, TRAINING_ADMIN) or has_role(user, PLANNER))
    )


class AgencyPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        # Wagtail reads "change" as leave to delete and move too; rights granted here stop at editing.
        self.agency_only = False
        if user.is_active and not user.is_superuser and is_agency_page_editor(user, page.agency_id):
            self.agency_only = "change" not in self.permissions
            self.permissions = set(self.permissions) | AGENCY_PAGE_ACTIONS

    def can_delete(self, ignore_bulk=False):
        return not self.agency_only and super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return not self.agency_only and super().can_move()


class AgencyPageMixin:
    """For page models with an ``agency`` field: its staff edit and publish the page."""

    def permissions_for_user(self, user):
        return AgencyPagePermissionTester(user, self)
