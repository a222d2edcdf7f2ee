"""Site views outside the page tree: the signed-in person's home, and the page shown when a form's
security token has expired."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from tna.roles import employee_of

from .work import home_work


@login_required
@require_GET
def home(request):
    """What needs doing now, one panel per role the person holds, each item linking to where it is done."""
    return render(request, "cms/home/home.html", {
        "panels": home_work(request.user), "employee": employee_of(request.user),
    })


def csrf_failure(request, reason=""):
    """A form came back without a valid security token (usually a page left open too long, or signed
    out in another tab): say so in the site's design, and offer the way back to the form."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    return render(request, "403_csrf.html", {"back": back}, status=403)
