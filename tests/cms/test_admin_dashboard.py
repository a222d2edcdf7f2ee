"""The Wagtail dashboard of training admins and planners shows their work waiting, as their home does."""

import pytest

from tna.factories import EmployeeFactory

from .home_scene import build_scene


@pytest.fixture(autouse=True)
def english(client):
    """These pages are checked in English: the person chose it with the language switch."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def scene(db):
    return build_scene()


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_training_admin_dashboard_lists_the_delivery_work(client, scene):
    html = dashboard(client, scene.admin.user)
    assert "Training delivery: work waiting" in html and "Planning: work waiting" not in html
    assert 'href="/learning/delivery/sessions/%d/">Pelayanan Prima</a>' % scene.held.pk in html
    assert "meetings held without full attendance" in html
    assert 'href="/admin/snippets/courses/course/edit/%d/">Kursus Dalam Telaah</a>' % scene.draft.pk in html
    assert "/static/cms/admin-work.css" in html


def test_a_planner_dashboard_lists_the_planning_work(client, scene):
    html = dashboard(client, scene.planner.user)
    assert "Planning: work waiting" in html and "Training delivery: work waiting" not in html
    assert "6 employees analysed, 9 gaps found." in html
    assert ">Rencana Uji</a>" in html


def test_other_admin_users_get_no_latih_panel(client, db):
    from django.contrib.auth.models import Group, Permission

    editor = EmployeeFactory().user
    group = Group.objects.create(name="editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    html = dashboard(client, editor)
    assert "work waiting" not in html
