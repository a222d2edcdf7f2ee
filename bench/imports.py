"""Benchmark: a 50 MB employees CSV uploaded in the admin, checked (and written) in the background.

    .venv/bin/python bench/imports.py [--rows 630000] [--write] [--port 8299]

Writes ``var/bench-imports.csv`` (about 50 MB, one bad grade near the end, or none with
``--write``), starts a development server and uploads the file as a superuser would, then runs
``manage.py db_worker --batch`` for the background task. Measures the upload request (upload
→ response), the peak RSS of the server and of the worker above what each held before the
import, and the background time. The last lines are one per target, ``ok   <target>`` or
``MISS <target>``: the request takes at most 3 s; no process grows by more than 300 MB.
``DATABASE_URL`` picks the database (default: a fresh SQLite file in var/).
"""

import argparse
import csv
import datetime
import http.cookiejar
import json
import os
import re
import resource
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TARGET = 3.0  # seconds
RSS_TARGET = 300  # MB
PASSWORD = "bench-imports"  # noqa: S105 - a throwaway account in a throwaway database


def say(text):
    print(text, flush=True)


def nips(count):
    from tna.nip import format_nip

    start = datetime.date(1970, 1, 1)
    for n in range(count):
        birth = start + datetime.timedelta(days=n // 999)
        yield format_nip(birth_date=birth, start_year=birth.year + 23, start_month=1 + n % 12, sex=1 + n % 2,
                         serial=1 + n % 999)


def write_csv(path, rows, *, bad_row):
    """Employees of agency bench-a in chains of ten; ``bad_row`` (spreadsheet row, or None) has a wrong grade."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["nip", "name", "agency", "unit", "position", "grade", "employment", "supervisor_nip",
                         "email"])
        previous = ""
        for i, nip in enumerate(nips(rows)):
            writer.writerow([nip, "Pegawai %d" % i, "bench-a", "unit%d" % (i % 50), "staf",
                             "IX/z" if i + 2 == bad_row else "II/a", "PNS", previous if i % 10 else "", ""])
            previous = nip


def prepare_database(env):
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    script = """
from django.contrib.auth import get_user_model
from tna.imports import import_file
from tna.models import Agency
User = get_user_model()
if not Agency.objects.filter(code="bench-a").exists():
    units = "agency,agency_name,unit,unit_name\\n" + "".join("bench-a,Kabupaten Bench,unit{0},Unit {0}\\n".format(i) for i in range(50))
    import_file(kind="org", file=units.encode())
    import_file(kind="positions", file=b"agency,position,position_name,job_type\\nbench-a,staf,Pengadministrasi,pelaksana\\n")
user, _ = User.objects.get_or_create(username="bench-root", defaults={"is_superuser": True, "is_staff": True})
user.set_password(%r)
user.save()
""" % PASSWORD
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)


def rss_mb(pid):
    """Resident and peak resident memory (MB) of process ``pid``, from /proc."""
    values = {}
    for line in Path("/proc/%d/status" % pid).read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


class Browser:
    """Just enough of a browser: cookies, the CSRF token, forms, multipart uploads, no redirects."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        request.add_header("Referer", self.base + path)
        request.add_header("Accept-Language", "en")
        try:
            with self.opener.open(request, timeout=600) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def login(self, username):
        self.request("/admin/login/")
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": self.csrf()}).encode()
        status, headers, _page = self.request("/admin/login/", body)
        if status != 302:
            raise SystemExit("sign-in failed (%s)" % status)

    def upload(self, path, fields, file_field, file_path):
        self.request(path)
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                          % (boundary, name, value)).encode())
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                      "Content-Type: text/csv\r\n\r\n" % (boundary, file_field, file_path.name)).encode())
        parts.append(file_path.read_bytes())
        parts.append(("\r\n--%s--\r\n" % boundary).encode())
        body = b"".join(parts)
        started = time.perf_counter()
        status, headers, page = self.request(
            path, body, {"Content-Type": "multipart/form-data; boundary=%s" % boundary})
        return time.perf_counter() - started, status, headers, page


def run_worker(env):
    """Run the task queue until it is empty; (seconds, peak RSS MB, RSS MB of an idle worker)."""
    code = (
        "import resource, sys, time, django; django.setup()\n"
        "from django.conf import settings; settings.DEBUG = False\n"
        "from django.core.management import call_command\n"
        "idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "started = time.perf_counter()\n"
        "call_command('db_worker', batch=True, no_startup_delay=True, interval=0.1, verbosity=0)\n"
        "print('WORKER', time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, idle)\n"
    )
    # Imported modules (openpyxl, numpy, the apps) are part of an idle worker: load them first.
    code = code.replace("django.setup()\n", "django.setup()\nimport tna.tasks, numpy, openpyxl  # noqa\n", 1)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("WORKER"))
    seconds, peak, idle = map(float, line.split()[1:])
    return seconds, peak, idle


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=630_000)
    parser.add_argument("--write", action="store_true", help="a file without errors, confirmed and written too")
    parser.add_argument("--port", type=int, default=8299)
    args = parser.parse_args()

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.dev", PYTHONPATH=str(ROOT))
    if not env.get("DATABASE_URL"):
        path = ROOT / "var" / "bench-imports.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        env["DATABASE_URL"] = "sqlite:///%s" % path
    env["LATIH_LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    import django

    django.setup()

    csv_path = ROOT / "var" / "bench-imports.csv"
    bad_row = None if args.write else args.rows - 9
    started = time.perf_counter()
    write_csv(csv_path, args.rows, bad_row=bad_row)
    size = csv_path.stat().st_size
    say("file          %s: %d rows, %.1f MB%s (%.1f s)" % (
        csv_path.name, args.rows, size / 1e6, ", bad grade in row %d" % bad_row if bad_row else "",
        time.perf_counter() - started))
    prepare_database(env)

    # DEBUG off, as in production: the debug cursor would keep thousands of statements.
    server = subprocess.Popen(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "settings.DEBUG = False; from django.core.management import call_command; "
         "call_command('runserver', '127.0.0.1:%d', use_reloader=False)" % args.port],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    failures = []
    try:
        browser = Browser("http://127.0.0.1:%d" % args.port)
        for _attempt in range(100):
            try:
                browser.request("/admin/login/")
                break
            except OSError:
                time.sleep(0.2)
        browser.login("bench-root")
        browser.request("/admin/latih/imports/")  # the server's own start-up work, before measuring
        server_idle = rss_mb(server.pid)[0]

        seconds, status, headers, page = browser.upload(
            "/admin/latih/imports/", {"kind": "employees"}, "file", csv_path)
        job_path = urllib.parse.urlparse(headers.get("Location", "")).path
        server_rss, server_peak = rss_mb(server.pid)
        say("request       upload → response %.2f s (HTTP %d → %s)" % (seconds, status, job_path or "no redirect"))
        if status != 302 or not job_path:
            raise SystemExit("the upload was not sent to the background: %s" % page[:500])

        check_seconds, check_peak, check_idle = run_worker(env)
        say("background    check %.1f s, worker peak RSS %.0f MB (idle %.0f MB, growth %.0f MB)" % (
            check_seconds, check_peak, check_idle, check_peak - check_idle))
        growths = [check_peak - check_idle]
        background = check_seconds
        status, _headers, page = browser.request(job_path)
        if bad_row:
            found = re.search(r"<tr><td>(\d+)</td><td>([^<]*)</td>", page)
            say("outcome       %s" % (("rejected, error at row %s, column %s" % found.groups()) if found else
                                      "no error table (HTTP %d)" % status))
            if not found or found.groups() != (str(bad_row), "grade"):
                failures.append("the bad row is reported at its row and column")
        else:
            token = re.search(r'name="token" value="([^"]+)"', page)
            if not token:
                raise SystemExit("no preview: %s" % page[:500])
            body = urllib.parse.urlencode({"token": token.group(1), "csrfmiddlewaretoken": browser.csrf()}).encode()
            started = time.perf_counter()
            status, headers, _page = browser.request("/admin/latih/imports/confirm/", body)
            confirm_seconds = time.perf_counter() - started
            say("request       confirm → response %.2f s (HTTP %d)" % (confirm_seconds, status))
            seconds = max(seconds, confirm_seconds)
            write_seconds, write_peak, write_idle = run_worker(env)
            say("background    write %.1f s, worker peak RSS %.0f MB (idle %.0f MB, growth %.0f MB)" % (
                write_seconds, write_peak, write_idle, write_peak - write_idle))
            growths.append(write_peak - write_idle)
            background += write_seconds
            status, _headers, page = browser.request(job_path)
            say("outcome       %s" % ("imported" if "Imported:" in page else "not imported (HTTP %d)" % status))
            if "Imported:" not in page:
                failures.append("the file is imported")
        server_rss, server_peak = rss_mb(server.pid)
        growths.append(server_peak - server_idle)
        say("server        RSS %.0f MB before, peak %.0f MB (growth %.0f MB)" % (
            server_idle, server_peak, server_peak - server_idle))
        say("total         background %.1f s" % background)
    finally:
        server.terminate()
        server.wait(timeout=30)
    say("peak RSS of this script %.0f MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    say(json.dumps({"request_s": round(seconds, 2), "background_s": round(background, 1),
                    "rss_growth_mb": [round(g) for g in growths]}))
    for failure in failures:
        say("MISS %s" % failure)
    say("%s request ≤ %.0f s" % ("ok  " if seconds <= REQUEST_TARGET else "MISS", REQUEST_TARGET))
    say("%s peak RSS growth ≤ %d MB" % ("ok  " if max(growths) <= RSS_TARGET else "MISS", RSS_TARGET))


if __name__ == "__main__":
    main()
