"""Which language a page is in: Indonesian, unless the person chose English.

A browser's Accept-Language is not a choice: an office PC set up in English is common, and
Latih's documented default is Indonesian (the API, called by programs, does follow it). The choice is made with the language switch
(Django's ``set_language``, which sets the language cookie for a year) and, for a signed-in
person, also kept in their Wagtail profile, so it follows them to another device and into the
admin.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.i18n import set_language as django_set_language


def supported(code):
    """``code`` as one of LANGUAGES, or None when it is not one (a stale or forged cookie)."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def chosen_language(request):
    """The language ``request``'s person chose (cookie, then profile), else the site's default.

    The API is the exception: a program calling it states the language it wants in
    Accept-Language, as HTTP intends, and gets it.
    """
    if request.path_info.startswith("/api/"):
        return translation.get_language_from_request(request)
    language = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if language is None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = supported(preferred_language(user))
    return language or settings.LANGUAGE_CODE


def preferred_language(user):
    """The language kept in ``user``'s Wagtail profile, or None. The profile usually arrives with
    the user (``cms.auth.UserBackend``), so this costs no query."""
    try:
        profile = user.wagtail_userprofile
    except ObjectDoesNotExist:
        return None
    return profile.preferred_language


class ChosenLanguageMiddleware:
    """Activates the chosen language for the request (in place of Django's LocaleMiddleware,
    which would follow the browser's Accept-Language). Placed after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def set_language(request):
    """Django's ``set_language``, also remembered in a signed-in person's profile."""
    response = django_set_language(request)
    language = supported(request.POST.get("language"))
    if request.method == "POST" and language and request.user.is_authenticated:
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(request.user)
        if profile.preferred_language != language:
            profile.preferred_language = language
            profile.save(update_fields=["preferred_language"])
    return response
