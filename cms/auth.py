"""The signed-in user as every page needs them.

``UserBackend`` loads the user with their employee record, its agency and their Wagtail profile
in one query (the menu, the agency scoping and the chosen language read all four on every page),
and, where the site's cache is shared by all its processes (``LATIH_CACHE_URL``, docs/deploy.md),
takes the user's roles (group names) and permissions from it instead of three queries.

A change of groups or permissions through Django (the admin, a command, a fixture) renews the
cache at once: any such change stamps a new generation, and a user's cached access is used only
under the generation it was read in. A change made behind Django's back (SQL) shows within
``ACCESS_TIMEOUT``. A process-local cache is never used for this: another process would not see
the new generation.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

# Followed from the user on each request; a user without an employee record or a profile simply
# has none (the reverse one-to-one is then known to be empty, without a query).
WITH_USER = ("employee__agency", "wagtail_userprofile")
GENERATION_KEY = "latih:access:generation"
ACCESS_TIMEOUT = 300  # seconds; the bound on a change made outside Django
PROCESS_LOCAL = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


def access_cache_enabled():
    """True when ``LATIH_ACCESS_CACHE`` says so; by default, when the default cache is shared."""
    chosen = getattr(settings, "LATIH_ACCESS_CACHE", None)
    if chosen is not None:
        return bool(chosen)
    return settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL


def access_key(user_id):
    return "latih:access:user:%s" % user_id


class UserBackend(ModelBackend):
    """Django's ModelBackend: the user arrives with what every page reads, and their roles and
    permissions come from the shared cache when there is one."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*WITH_USER)
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        if not user.is_superuser and access_cache_enabled():
            self._load_access(user)
        return user

    def _load_access(self, user):
        """Fill the caches ModelBackend and ``tna.roles.has_role`` keep on the user for a request."""
        found = cache.get_many([GENERATION_KEY, access_key(user.pk)])
        generation = found.get(GENERATION_KEY)
        record = found.get(access_key(user.pk))
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(GENERATION_KEY, generation, None):
                generation = cache.get(GENERATION_KEY) or generation
        if record is None or record[0] != generation:
            record = (
                generation,
                set(user.groups.values_list("name", flat=True)),
                super().get_user_permissions(user),
                super().get_group_permissions(user),
            )
            cache.set(access_key(user.pk), record, ACCESS_TIMEOUT)
        _, user._latih_roles, user._user_perm_cache, user._group_perm_cache = record
        user._perm_cache = user._user_perm_cache | user._group_perm_cache


def access_changed(**kwargs):
    """Groups or permissions changed: every user's cached access is out of date. Renewed now and
    again when the transaction commits, so that no request reading the old rows in between can
    leave them cached under the new generation."""
    if not access_cache_enabled():
        return

    def renew():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def connect_access_signals():
    users = get_user_model()
    for through in (users.groups.through, users.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(access_changed, sender=through, dispatch_uid="latih-access-%s" % through._meta.label)
    for model in (Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(access_changed, sender=model, dispatch_uid="latih-access-%s-%s" % (model._meta.label, id(signal)))
    # A user made inactive or a superuser is read from their row on each request; nothing to renew.
