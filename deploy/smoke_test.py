"""Check a running Latih from its own machine: health, a page, static files, the API and the worker.

Run through ``deploy/smoke-test`` (which loads the environment file); see docs/deploy.md. It asks
gunicorn directly, sending what the proxy would (the site's host name and ``X-Forwarded-Proto:
https``), so it tests the site and not the proxy. It writes nothing that stays: the API token it
makes is deleted again, and the task it queues is the daily evaluation reminders, which send only
what is due and never twice.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Failed(Exception):
    pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, headers=None):
    """``(status, headers, body)`` of a GET, redirects not followed."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except OSError as error:
        raise Failed("%s: %s" % (url, error)) from error


def expect(url, status, headers=None):
    got, response_headers, body = fetch(url, headers)
    if got != status:
        raise Failed("%s answered %s, not %s: %s" % (url, got, status, body[:300].decode(errors="replace")))
    return response_headers, body


def step(name, check):
    started = time.monotonic()
    detail = check()
    print("smoke test: %-44s ok (%.1f s)%s" % (name, time.monotonic() - started, " - " + detail if detail else ""),
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    port = os.environ.get("PORT", "").strip() or "8000"
    parser.add_argument("--url", default="http://127.0.0.1:%s" % port, help="where gunicorn listens (default: %(default)s)")
    parser.add_argument("--user", help="whose API token to use (default: the first superuser)")
    parser.add_argument("--page", help="a page to open (default: the first live catalogue page)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the task (default: %(default)s)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    import django

    django.setup()
    from django.conf import settings

    site = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    # What the proxy adds to each request it passes on.
    proxied = {"Host": site.netloc, "X-Forwarded-Proto": "https", "X-Real-IP": "127.0.0.1"}
    base = args.url.rstrip("/") + "/"

    def health():
        for path in ("healthz/", "readyz/"):
            _headers, body = expect(urljoin(base, path), 200)  # by address, over HTTP: as a load balancer asks
            if json.loads(body)["status"] != "ok":
                raise Failed("%s said %s" % (path, body))
        return "/healthz/ and /readyz/ answer 200"

    def https_redirect():
        if not settings.SECURE_SSL_REDIRECT:
            return "DJANGO_SECURE_SSL_REDIRECT is off: skipped"
        headers, _body = expect(base, 301, {"Host": site.netloc})
        if not headers["Location"].startswith("https://"):
            raise Failed("plain HTTP was sent to %s" % headers["Location"])
        return "plain HTTP goes to %s" % headers["Location"]

    def page():
        path = args.page or catalogue_path()
        _headers, body = expect(urljoin(base, path.lstrip("/")), 200, proxied)
        stylesheet = first_stylesheet(body.decode())
        if stylesheet is None:
            raise Failed("%s links no stylesheet" % path)
        headers, _body = expect(urljoin(base, stylesheet.lstrip("/")), 200, proxied)
        return "%s, and its stylesheet %s (%s)" % (path, stylesheet, headers.get("Cache-Control"))

    def api():
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        users = get_user_model().objects.filter(is_active=True)
        user = users.get(username=args.user) if args.user else users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise Failed("no superuser yet: run `deploy/manage createsuperuser` or pass --user")
        token, created = Token.objects.get_or_create(user=user)
        try:
            _headers, body = expect(urljoin(base, "api/v1/courses/"), 200,
                                    {**proxied, "Authorization": "Token %s" % token.key, "Accept": "application/json"})
        finally:
            if created:
                token.delete()
        return "GET /api/v1/courses/ as %s: %d courses" % (user.get_username(), json.loads(body)["count"])

    def task():
        from django_tasks import TaskResultStatus

        from lms.tasks import evaluation_reminders_task

        result = evaluation_reminders_task.enqueue()
        deadline = time.monotonic() + args.timeout
        while not result.is_finished:
            if time.monotonic() > deadline:
                raise Failed("task %s is still %s after %d s: is the worker (deploy/start-worker) running?"
                             % (result.id, result.status, args.timeout))
            time.sleep(0.25)
            result.refresh()
        if result.status != TaskResultStatus.SUCCESSFUL:
            raise Failed("task %s %s: %s" % (result.id, result.status, result.errors[-1].traceback if result.errors else ""))
        return "evaluation_reminders_task %s by worker %s: %s" % (result.status, result.worker_ids[-1], result.return_value)

    try:
        step("health checks for the load balancer", health)
        step("plain HTTP redirected to HTTPS", https_redirect)
        step("a page and its static files (WhiteNoise)", page)
        step("the API with a token", api)
        step("a background task through the worker", task)
    except Failed as failure:
        sys.exit("smoke test: FAILED: %s" % failure)
    print("smoke test: passed", flush=True)


def catalogue_path():
    from cms.models import CataloguePage

    page = CataloguePage.objects.live().order_by("path").first()
    if page is None:
        raise Failed("no live catalogue page yet: pass --page, or give the agencies their pages (docs/deploy.md)")
    return urlsplit(page.get_url()).path


def first_stylesheet(html):
    from html.parser import HTMLParser

    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "link" and attrs.get("rel") == "stylesheet" and not found:
                found.append(attrs.get("href"))

    Links().feed(html)
    return found[0] if found else None


if __name__ == "__main__":
    main()
