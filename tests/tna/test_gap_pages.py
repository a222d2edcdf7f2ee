"""The heatmaps and the profile as their users meet them: tables that scroll in their own box with
a key, one unit or one competency at a time, corrected values labelled, a way back to the team."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tna.models import Rating

from .gap_data import build_world


@pytest.fixture
def world(db):
    return build_world()


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


# --- the planner's map ---------------------------------------------------------------------------

def test_the_heatmap_scrolls_in_a_box_keyboard_users_can_reach_with_a_key_to_codes_and_colours(client, world):
    _english(client)
    client.force_login(world.planner.user)
    html = _page(client, reverse("tna:planner"))
    box = re.search(r'<div class="table-scroll wide-table[^"]*"([^>]*)>\s*<table class="heatmap">', html)
    assert box and 'tabindex="0"' in box[1] and 'role="region"' in box[1] and "aria-labelledby=" in box[1]
    # Column headers are codes with the full name, and a visible key repeats the names.
    assert '<abbr title="Integrity">M.01</abbr>' in html
    assert "<dt>M.01</dt><dd>Integrity</dd>" in html and "<dt>TK.01</dt><dd>Digital literacy</dd>" in html
    # The colour key says what the numbers are and gives each colour's range in numbers.
    assert "Each number is a gap in levels" in html
    assert '<span class="gap-cell gap-4">≥ 2</span> gap of two levels or more' in html
    assert "not required of anyone in the unit" in html


def test_one_unit_at_a_time_lists_its_competencies_with_values_and_bars(client, world):
    _english(client)
    client.force_login(world.planner.user)
    html = _page(client, reverse("tna:planner"), {"show": "unit-%d" % world.school.pk})
    assert '<table class="heatmap">' not in html  # the list replaces the table
    focus = html[html.index('<section class="focus"'):]
    assert "Dinas Pendidikan" in focus and "Dinas Kesehatan" not in focus
    # Dinas Pendidikan, M.01: gaps 0.9, 1.0 and 1.5 → mean 1.1, two of three at one level or more.
    item = re.search(r'<li class="bar-item" data-band="gap-3">.*?</li>', focus, re.S)[0]
    assert "Integrity" in item and ">1.1<" in item and "67% with a gap of one level or more · 3 assessed" in item
    assert '<rect class="bar-fill" width="56.7"' in item  # 1.13 of a bar that is full at 2 levels
    assert 'href="?cycle=2026&amp;show=competency-M.01"' in item  # and on to the competency
    assert "Back to the whole table" in focus
    # The selector that got here, preselected, works without JavaScript (a GET form).
    assert '<option value="unit-%d" selected>Dinas Pendidikan</option>' % world.school.pk in html


def test_one_competency_at_a_time_lists_units_largest_gap_first(client, world):
    _english(client)
    client.force_login(world.planner.user)
    html = _page(client, reverse("tna:planner"), {"show": "competency-M.01"})
    focus = html[html.index('<section class="focus"'):]
    assert focus.index("Dinas Pendidikan") < focus.index("Dinas Kesehatan")  # mean gap 1.1 before 0.0
    assert "All units: mean gap 0.8, 50% with a gap of one level or more (4 assessed)." in focus  # 0.85


def test_a_bad_or_unknown_view_is_refused(client, world):
    client.force_login(world.planner.user)
    assert client.get(reverse("tna:planner"), {"show": "units"}).status_code == 400
    assert client.get(reverse("tna:planner"), {"show": "competency-XX.99"}).status_code == 404
    # Another agency's unit is not on this planner's map.
    assert client.get(reverse("tna:planner"), {"show": "unit-%d" % world.unit_b.pk}).status_code == 404


# --- the team ------------------------------------------------------------------------------------

def test_the_team_heatmap_has_a_keyed_scroll_box_and_one_competency_as_a_list(client, world):
    _english(client)
    client.force_login(world.head.user)
    html = _page(client, reverse("tna:team"))
    assert re.search(r'<div class="table-scroll wide-table[^"]*" tabindex="0" role="region"', html)
    assert "<dt>M.01</dt><dd>Integrity</dd>" in html
    assert 'href="?cycle=2026&amp;show=competency-M.01"' in html

    listed = _page(client, reverse("tna:team"), {"show": "competency-M.01"})
    focus = listed[listed.index('<section class="focus"'):]
    # Dedi (gap 1.5) before Sari (gap 0.9); nobody outside the team.
    assert focus.index("Dedi Bawahan") < focus.index("Sari Staf")
    assert "Citra Rekan" not in focus and "Hana Kepala" not in focus
    assert "required 3, observed 1.5" in focus
    # Each name opens the profile, carrying where to come back to.
    assert reverse("tna:profile_of", args=[world.deputy.nip]) + "?cycle=2026&amp;show=competency-M.01" in focus
    assert client.get(reverse("tna:team"), {"show": "unit-%d" % world.school.pk}).status_code == 404


def test_a_team_members_profile_leads_back_to_the_team(client, world):
    _english(client)
    client.force_login(world.head.user)
    url = reverse("tna:profile_of", args=[world.deputy.nip])
    html = _page(client, url, {"cycle": 2026, "show": "competency-M.01", "page": 2})
    assert '<a href="%s?cycle=2026&amp;show=competency-M.01&amp;page=2">Back to my team</a>' % reverse("tna:team") in html
    # Opened from nowhere in particular, it still leads back.
    assert 'href="%s">Back to my team</a>' % reverse("tna:team") in _page(client, url)
    # One's own profile needs no way back.
    assert "Back to my team" not in _page(client, reverse("tna:profile"))


# --- the profile ---------------------------------------------------------------------------------

def test_the_profile_labels_corrected_values_and_shows_the_level_one_chose(client, world):
    Rating.objects.create(cycle=world.cycle, ratee=world.staff, rater=world.staff, rater_role="self",
                          competency=world.m01, level=4)
    _english(client)
    client.force_login(world.staff.user)
    html = _page(client, reverse("tna:profile"))
    assert '<th scope="col">Average after correction</th>' in html
    assert "(you chose 4)" in html
    assert "You chose level 4 for yourself. After the correction for how your self-assessments compare" in html
    assert "it counts as 3.0." in html
    assert "How the observed level is worked out" in html
    assert "supervisor 40%, peers 25%, subordinates 20% and self 15%" in html


def test_the_supervisor_sees_the_corrected_self_rating_but_not_the_level_chosen(client, world):
    Rating.objects.create(cycle=world.cycle, ratee=world.staff, rater=world.staff, rater_role="self",
                          competency=world.m01, level=4)
    _english(client)
    client.force_login(world.head.user)
    html = _page(client, reverse("tna:profile_of", args=[world.staff.nip]))
    assert "Average after correction" in html
    assert "chose 4" not in html and "chose level 4" not in html


def test_the_chart_names_each_competency_has_a_key_and_numbers_readable_without_the_picture(client, world):
    _english(client)
    client.force_login(world.staff.user)
    html = _page(client, reverse("tna:profile"))
    chart = html[html.index('<figure class="level-chart"'):html.index("</figure>")]
    assert "<svg viewBox=\"0 0 620" not in html  # the old fixed-size picture whose text shrank to 5 px
    assert '<span class="code">M.01</span> Integrity' in chart and "Digital literacy" in chart
    assert "required level" in chart and "observed level: one level or more short" in chart
    assert "2.1<span aria-hidden=\"true\"> / </span>" in chart  # M.01: observed 2.1 of 3
    assert '<line class="required" x1="60.0"' in chart  # level 3 of 5
    assert "no ratings yet" in chart  # M.02


def test_the_priority_sentence_in_the_page_follows_its_parts(client, world):
    _english(client)
    client.force_login(world.staff.user)
    html = _page(client, reverse("tna:profile"))
    assert (
        "High priority (70 of 100), mostly from the gap of 0.9 levels (45.0 points); also from your request in "
        "the training-needs survey, priority 3 (15.0 points) and the appraisal (SKP), where work behaviour is "
        "below expectations (10.0 points)."
    ) in html
