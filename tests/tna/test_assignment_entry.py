"""Supervisors enter their team's project assignments on the site; ``assignment_save`` holds the rules."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    UnitFactory,
)
from tna.models import Assignment
from tna.services.assignments import assignment_delete, assignment_save, may_enter_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    """A head above a supervisor with two reports, a colleague without reports and a stranger elsewhere."""
    agency = AgencyFactory()
    people = {"agency": agency, "unit": UnitFactory(agency=agency), "position": PositionFactory(agency=agency)}
    head = EmployeeFactory(**people, roles=["supervisor"], name="Kepala Dinas")
    boss = EmployeeFactory(**people, supervisor=head, roles=["supervisor"], name="Kepala Bidang")
    return {
        "cycle": CycleFactory(year=2026, is_open=True),
        "competencies": [CompetencyFactory(code="M.02", name="Kerjasama", name_en="Teamwork"),
                         CompetencyFactory(code="TK.01", name="Manajemen SDM", name_en="HR management")],
        "head": head, "boss": boss,
        "staff": EmployeeFactory(**people, supervisor=boss, name="Siti Rahma"),
        "colleague": EmployeeFactory(**people, supervisor=boss, name="Budi Santoso"),
        "peer": EmployeeFactory(**people, supervisor=head, name="Rina Peer"),
        "stranger": EmployeeFactory(name="Dewi Lestari", roles=["supervisor"]),
    }


def login(client, employee, language="en"):
    client.force_login(employee.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def url(name, *args):
    return reverse("tna:" + name, args=[2026, *args])


def post_data(team, **changes):
    data = {"title": "Satgas Stunting", "role": "secretary", "start": "2026-02-01", "end": "2026-11-30",
            "competencies": [c.pk for c in team["competencies"]]}
    data.update(changes)
    return data


def save(team, **changes):
    values = {"employee": team["staff"], "cycle": team["cycle"], "title": "Tim SPBE", "role": "member",
              "start": datetime.date(2026, 3, 1), "end": None, "competencies": [], "entered_by": team["boss"]}
    values.update(changes)
    return assignment_save(**values)


# -- the page ------------------------------------------------------------------------------------

def test_the_team_page_lists_direct_reports_with_their_assignments(client, team):
    save(team, title="Tim SPBE")
    page = login(client, team["boss"]).get(url("assignments")).content.decode()

    assert "Siti Rahma" in page and "Budi Santoso" in page and "Dewi Lestari" not in page
    assert "Tim SPBE" in page and "None yet" in page
    assert url("assignments_person", team["staff"].nip) in page
    assert 'class="table-scroll wide-table"' in page and "data-label=" in page


def test_the_hub_links_the_page_for_supervisors_only(client, team):
    assert url("assignments") in login(client, team["boss"]).get(reverse("tna:evidence")).content.decode()
    assert url("assignments") not in login(client, team["staff"]).get(reverse("tna:evidence")).content.decode()


def test_a_supervisor_adds_changes_and_deletes_an_assignment_of_a_report(client, team):
    login(client, team["boss"])
    response = client.post(url("assignments_person", team["staff"].nip), post_data(team), follow=True)

    assert "The project assignment of Siti Rahma has been saved." in response.content.decode()
    assignment = Assignment.objects.get()
    assert (assignment.employee, assignment.role, assignment.end, assignment.entered_by) == (
        team["staff"], "secretary", datetime.date(2026, 11, 30), team["boss"])
    assert assignment.competencies.count() == 2
    page = client.get(url("assignments_person", team["staff"].nip)).content.decode()
    assert "Satgas Stunting" in page and url("assignments_edit", team["staff"].nip, assignment.pk) in page

    edit = url("assignments_edit", team["staff"].nip, assignment.pk)
    assert 'value="Satgas Stunting"' in client.get(edit).content.decode()
    client.post(edit, post_data(team, role="lead", end="", competencies=[team["competencies"][1].pk]))
    assignment.refresh_from_db()
    assert (assignment.role, assignment.end) == ("lead", None)
    assert list(assignment.competencies.values_list("code", flat=True)) == ["TK.01"]

    delete = url("assignments_delete", team["staff"].nip, assignment.pk)
    assert "Delete the assignment of Siti Rahma" in client.get(delete).content.decode()
    client.post(delete)
    assert not Assignment.objects.exists()


def test_wrong_dates_and_duplicates_are_shown_on_the_form(client, team):
    login(client, team["boss"])
    target = url("assignments_person", team["staff"].nip)

    response = client.post(target, post_data(team, start="2026-05-01", end="2026-04-01"))
    assert response.status_code == 200 and "The assignment ends before it starts." in response.content.decode()

    client.post(target, post_data(team))
    response = client.post(target, post_data(team, title="satgas STUNTING", role="member"))
    assert "already has an assignment with this title" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_someone_higher_in_the_chain_may_enter_too(client, team):
    login(client, team["head"])
    client.post(url("assignments_person", team["staff"].nip), post_data(team))

    assert Assignment.objects.get().entered_by == team["head"]


def test_strangers_colleagues_and_people_without_reports_get_nothing(client, team):
    staff = team["staff"]
    login(client, team["stranger"])  # a supervisor, but of nobody here
    assert client.get(url("assignments_person", staff.nip)).status_code == 404
    assert client.post(url("assignments_person", staff.nip), post_data(team)).status_code == 404

    login(client, team["colleague"])  # an ASN beside them
    assert client.post(url("assignments_person", staff.nip), post_data(team)).status_code == 404
    assert client.get(url("assignments_person", staff.nip)).status_code == 404
    assert "Nobody reports to you" in client.get(url("assignments")).content.decode()

    login(client, team["peer"])  # the boss's colleague, not above them
    assert client.post(url("assignments_person", staff.nip), post_data(team)).status_code == 404

    assignment = save(team)
    login(client, team["staff"])  # nobody enters their own
    assert client.post(url("assignments_person", staff.nip), post_data(team)).status_code == 404
    assert client.post(url("assignments_delete", staff.nip, assignment.pk)).status_code == 404
    login(client, team["stranger"])
    assert client.post(url("assignments_edit", staff.nip, assignment.pk), post_data(team)).status_code == 404
    assert Assignment.objects.count() == 1


def test_a_closed_cycle_is_read_only(client, team):
    assignment = save(team)
    team["cycle"].is_open = False
    team["cycle"].save()
    login(client, team["boss"])

    page = client.get(url("assignments_person", team["staff"].nip)).content.decode()
    assert "Tim SPBE" in page and "Add a project assignment" not in page
    client.post(url("assignments_person", team["staff"].nip), post_data(team))
    client.post(url("assignments_delete", team["staff"].nip, assignment.pk))
    assert Assignment.objects.count() == 1


def test_dates_are_written_in_the_persons_language(client, team):
    save(team, start=datetime.date(2026, 8, 17), end=datetime.date(2026, 10, 1))
    page = login(client, team["boss"], language="id").get(url("assignments_person", team["staff"].nip))
    assert "17 Agu 2026 – 1 Okt 2026" in page.content.decode()


def test_the_pages_need_a_login(client, team):
    response = client.get(url("assignments"))
    assert response.status_code == 302 and "next=" in response["Location"]


# -- the service ---------------------------------------------------------------------------------

def test_the_service_refuses_what_the_page_and_the_import_refuse(team):
    with pytest.raises(ValidationError) as caught:
        save(team, entered_by=team["stranger"])
    assert "report to you" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        save(team, start=datetime.date(2026, 5, 1), end=datetime.date(2026, 4, 1), role="boss", title=" ")
    assert set(caught.value.message_dict) == {"title", "role", "end"}
    team["cycle"].is_open = False
    with pytest.raises(ValidationError) as caught:
        save(team)
    assert "closed" in caught.value.message_dict["cycle"][0]
    team["cycle"].is_open = True

    first = save(team, title="Tim  SPBE ")
    assert first.title == "Tim SPBE"
    with pytest.raises(ValidationError):
        save(team, title="tim spbe")
    assert save(team, title="TIM SPBE", assignment=first).title == "TIM SPBE"  # itself is no duplicate

    assert not may_enter_assignments(by=team["staff"], employee=team["staff"])
    assert may_enter_assignments(by=team["head"], employee=team["staff"])
    with pytest.raises(ValidationError):
        assignment_delete(assignment=first, deleted_by=team["colleague"])
    assignment_delete(assignment=first, deleted_by=team["boss"])
    assert not Assignment.objects.exists()


def test_a_training_admin_of_the_agency_may_enter_for_anyone_in_it(team):
    from django.contrib.auth.models import Group

    admin = EmployeeFactory(agency=team["staff"].agency, unit=team["staff"].unit, position=team["staff"].position)
    admin.user.groups.add(Group.objects.get_or_create(name="training_admin")[0])

    assert may_enter_assignments(by=admin, employee=team["staff"])
    assert not may_enter_assignments(by=admin, employee=team["stranger"])
