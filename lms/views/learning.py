"""The ASN's learning dashboard: my gaps, my recommendations (accept or dismiss), my enrollments and meetings, my JP."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.links import course_url
from tna.roles import employee_of
from tna.sentences import priority_band, priority_label

from ..explain import explain_recommendation, plan_summary
from ..models import Recommendation
from ..selectors import learning
from ..services.recommendations import recommendation_dismiss


@login_required
def dashboard(request):
    """Everything the person needs at a glance, in a fixed number of queries."""
    me = employee_of(request.user)
    if me is None:
        return render(request, "lms/learning/no_employee.html", status=403)
    year = learning.current_year(me)
    gap_cycle, gaps = learning.my_open_gaps(me)
    cycle = learning.recommendation_cycle(me)
    recommendations = list(learning.my_recommendations(me, cycle)) if cycle else []
    names = learning.competency_names([r.reason for r in recommendations])
    sessions = learning.next_sessions({r.course_id for r in recommendations})
    urls = {}
    cards = []
    for recommendation in recommendations:  # at most LATIH_RECOMMENDATIONS_PER_PERSON
        course = recommendation.course
        if course.pk not in urls:
            urls[course.pk] = course_url(course, request)
        cards.append({
            "recommendation": recommendation,
            "course": course,
            "url": urls[course.pk],
            "kind": (recommendation.reason or {}).get("kind", "gap"),
            "sentences": explain_recommendation(recommendation.reason, mode=course.mode, names=names),
            "next": sessions.get(course.pk),
        })
    plan = [card for card in cards if card["recommendation"].in_plan]
    jp = learning.jp_year(me, year)
    planned = sum(card["course"].jp for card in plan)
    return render(request, "lms/learning/dashboard.html", {
        "employee": me,
        "year": year,
        "jp": jp,
        "gap_cycle": gap_cycle,
        "gaps": [{"gap": gap, "band": priority_band(gap.priority), "label": priority_label(gap.priority)} for gap in gaps],
        "cycle": cycle,
        "plan": plan,
        "others": [card for card in cards if not card["recommendation"].in_plan],
        "plan_summary": plan_summary(planned=planned, earned=jp.credited + jp.held, minimum=jp.minimum) if plan else "",
        "enrollments": list(learning.my_enrollments(me, active=True)),
        "meetings": list(learning.upcoming_meetings(me, timezone.now())),
    })


@login_required
@require_POST
def dismiss(request, pk):
    """Set one of my suggestions aside."""
    recommendation = get_object_or_404(Recommendation.objects.select_related("course"), pk=pk,
                                       employee=employee_of(request.user))
    try:
        recommendation_dismiss(recommendation=recommendation, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("“%(course)s” is set aside; it will not be suggested again this cycle.")
                         % {"course": recommendation.course.display_title})
    return redirect("lms:dashboard")
