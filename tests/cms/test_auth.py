"""The signed-in user on every page: loaded in one query, roles and permissions from a shared cache
that a change of groups or permissions renews at once (cms.auth)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tna.factories import EmployeeFactory


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def access_cache(settings):
    """The access cache on (the tests' cache is process-local, where it is off by default)."""
    settings.LATIH_ACCESS_CACHE = True
    cache.clear()
    yield
    cache.clear()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def touching(queries, table):
    return [sql for sql in queries if '"%s"' % table in sql]


def test_the_person_their_agency_and_language_come_in_one_query(client, catalogue_page, agency):
    employee = EmployeeFactory(agency=agency)
    client.force_login(employee.user)
    client.cookies.pop("django_language")  # the language then comes from the profile
    client.get(catalogue_page.url)
    response, queries = queries_of(client, catalogue_page.url)
    assert employee.name in response.content.decode()
    user_queries = [sql for sql in queries if sql.startswith('SELECT "auth_user"."id"')]
    assert len(user_queries) == 1
    assert '"tna_agency"' in user_queries[0] and '"wagtailusers_userprofile"' in user_queries[0]
    others = [sql for sql in queries if sql not in user_queries]
    assert touching(others, "tna_employee") == [] and touching(others, "wagtailusers_userprofile") == []
    assert not [sql for sql in others if sql.startswith('SELECT "tna_agency"')]  # the catalogue's agency is theirs


def test_a_chosen_language_kept_in_the_profile_still_applies(client, catalogue_page, agency):
    from wagtail.users.models import UserProfile

    employee = EmployeeFactory(agency=agency)
    UserProfile.objects.create(user=employee.user, preferred_language="en")
    client.force_login(employee.user)
    client.cookies.pop("django_language")
    response = client.get(catalogue_page.url)
    assert response.headers["Content-Language"] == "en"


def test_roles_and_permissions_come_from_the_shared_cache(client, catalogue_page, agency, access_cache):
    employee = EmployeeFactory(agency=agency, roles=["supervisor"])
    client.force_login(employee.user)
    client.get(catalogue_page.url)
    response, queries = queries_of(client, catalogue_page.url)
    assert "Requests to approve" in response.content.decode()  # the supervisor's menu
    assert touching(queries, "auth_group") == [] and touching(queries, "auth_permission") == []


def test_without_the_cache_they_are_read_from_the_database(client, catalogue_page, agency):
    client.force_login(EmployeeFactory(agency=agency, roles=["training_admin"]).user)
    client.get(catalogue_page.url)
    _, queries = queries_of(client, catalogue_page.url)
    assert touching(queries, "auth_group")


def test_leaving_a_group_takes_effect_on_the_next_page(client, catalogue_page, agency, access_cache):
    employee = EmployeeFactory(agency=agency, roles=["training_admin"])
    client.force_login(employee.user)
    assert "Training delivery" in client.get(catalogue_page.url).content.decode()
    employee.user.groups.remove(Group.objects.get(name="training_admin"))
    assert "Training delivery" not in client.get(catalogue_page.url).content.decode()


def test_a_permission_taken_from_a_group_takes_effect_on_the_next_page(client, catalogue_page, agency, access_cache):
    editors = Group.objects.create(name="editors")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors.permissions.add(access_admin)
    employee = EmployeeFactory(agency=agency, roles=["editors"])
    client.force_login(employee.user)
    assert "wagtail-userbar" in client.get(catalogue_page.url).content.decode()
    editors.permissions.remove(access_admin)
    assert "wagtail-userbar" not in client.get(catalogue_page.url).content.decode()


def test_a_deactivated_account_is_signed_out_at_once(client, catalogue_page, agency, access_cache):
    employee = EmployeeFactory(agency=agency)
    client.force_login(employee.user)
    client.get(catalogue_page.url)
    employee.user.is_active = False
    employee.user.save(update_fields=["is_active"])
    assert employee.name not in client.get(catalogue_page.url).content.decode()


def test_a_process_local_cache_is_not_used_for_access(settings):
    from cms.auth import access_cache_enabled

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not access_cache_enabled()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/1"}}
    assert access_cache_enabled()
