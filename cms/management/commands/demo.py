"""``manage.py demo``: everything a first look needs, idempotently; prints the demo logins. Does not serve."""

import datetime
import logging
import zoneinfo
from contextlib import contextmanager
from time import perf_counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tna.generate.evidence import generate_evidence
from tna.generate.workforce import generate_workforce
from tna.infra.progress import StageProgress
from tna.models import Agency, Cycle, Employee, Rating, TnaRun
from tna.roles import ASN, PLANNER, SUPERVISOR, TRAINING_ADMIN
from tna.services.positions import required_levels_apply_defaults
from tna.services.tna_run import run_tna

# The seed regions of fixtures/seed_regions.json; the first gets the demo logins and more staff.
HOME_AGENCY = "lampung-selatan"
SEED_AGENCIES = [HOME_AGENCY, "lampung-utara", "medan", "sibolga", "prov-jambi"]
DEMO_PASSWORD = "latih-demo"  # noqa: S105 - a published demo password, refused without DEBUG
CYCLE_TIME_ZONE = "Asia/Jakarta"
# The demo ASN is preferably an ordinary member of staff, as most users are.
TYPICAL_JOB_TYPES = {"pelaksana", "ahli_pertama", "ahli_muda", "terampil", "mahir"}


class Command(BaseCommand):
    help = (
        "Load what a first look at Latih needs: the competency dictionary and seed regions, a workforce per "
        "seed agency, this year's evidence (cycle open), the gap analysis, the catalogue and recommendations "
        "(when those commands are installed), an `admin` superuser and four demo people in "
        "lampung-selatan, whose logins it prints. Safe to re-run: what exists is kept, nothing is "
        "duplicated. It does not serve; run `manage.py runserver` after it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees", type=int, default=300,
            help="Staff of lampung-selatan (default 300); the other seed agencies get half as many.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the generated people and evidence.")
        parser.add_argument(
            "--force", action="store_true",
            help="Run even with DEBUG off. The demo sets known passwords: never on a real site.",
        )

    def handle(self, *args, employees, seed, force, verbosity=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_(
                "The demo creates accounts with a published password; it runs only with DEBUG on "
                "(cms.settings.dev) unless you pass --force."
            ))
        if employees < 20:
            raise CommandError(_("--employees must be at least 20."))
        self.verbosity = verbosity
        started = perf_counter()
        year = datetime.datetime.now(zoneinfo.ZoneInfo(CYCLE_TIME_ZONE)).year

        self.step(_("Competency dictionary and seed regions"))
        call_command("loaddata", "competencies", "seed_regions", verbosity=0)
        required_levels_apply_defaults()
        agencies = {a.code: a for a in Agency.objects.filter(code__in=SEED_AGENCIES)}
        missing = set(SEED_AGENCIES) - set(agencies)
        if missing:
            raise CommandError(_("The seed_regions fixture lacks %(codes)s.") % {"codes": ", ".join(sorted(missing))})
        cycle, _created = Cycle.objects.update_or_create(year=year, defaults={"is_open": True})

        changed = False
        for code in SEED_AGENCIES:
            agency = agencies[code]
            size = employees if code == HOME_AGENCY else employees // 2
            changed |= self.workforce(agency, size, seed)
            changed |= self.evidence(cycle, agency, seed)
        self.analysis(cycle, rerun=changed)
        self.optional_command("generate_catalogue", _("Training catalogue"))
        self.optional_command("recommend", _("Course recommendations"), cycle=year)

        self.step(_("Demo accounts"))
        logins = self.accounts(cycle, agencies[HOME_AGENCY])
        self.print_logins(logins, year, perf_counter() - started)

    # Steps -----------------------------------------------------------------------------------

    def step(self, title):
        if self.verbosity:
            self.stdout.write(self.style.MIGRATE_HEADING(title))

    def progress(self):
        return StageProgress(self.stdout, indent="    ") if self.verbosity > 1 else None

    def note(self, text):
        if self.verbosity:
            self.stdout.write("  " + text)

    def workforce(self, agency, size, seed):
        """Generate the agency's staff unless it has some already; True when people were added."""
        existing = Employee.objects.filter(agency=agency).count()
        if existing:
            self.note(_("%(agency)s: %(count)s employees already, kept") % {"agency": agency.code, "count": existing})
            return False
        self.step(_("Workforce of %(agency)s") % {"agency": agency.name})
        created = generate_workforce(agency=agency, employees=size, seed=seed, progress=self.progress())
        self.note(_("%(count)s employees") % {"count": created})
        return True

    def evidence(self, cycle, agency, seed):
        """Generate the cycle's evidence for the agency unless it has ratings; True when generated."""
        if Rating.objects.filter(cycle=cycle, ratee__agency=agency).exists():
            self.note(_("%(agency)s: evidence of %(cycle)s already, kept") % {"agency": agency.code, "cycle": cycle})
            return False
        counts = generate_evidence(cycle_year=cycle.year, agency=agency, seed=seed, progress=self.progress())
        self.note(_("%(agency)s %(cycle)s: %(ratings)s ratings, %(appraisals)s appraisals, %(survey)s survey answers") % {
            "agency": agency.code, "cycle": cycle, "ratings": counts["ratings"], "appraisals": counts["appraisals"],
            "survey": counts["survey_responses"],
        })
        return True

    def analysis(self, cycle, *, rerun):
        """Run the TNA for every agency when evidence changed or no run has succeeded yet."""
        done = TnaRun.objects.filter(cycle=cycle, agency=None, status=TnaRun.Status.SUCCEEDED).exists()
        if done and not rerun:
            self.note(_("Gap analysis of %(cycle)s already run, kept") % {"cycle": cycle})
            return
        self.step(_("Gap analysis %(cycle)s") % {"cycle": cycle})
        run = run_tna(cycle=cycle, progress=self.progress())
        self.note(_("%(employees)s employees, %(gaps)s gaps") % {"employees": run.employees, "gaps": run.gaps})

    def optional_command(self, name, title, **options):
        """Call another app's command when it is installed (the demo works before they exist)."""
        if name not in get_commands():
            self.note(_("%(title)s: no `%(name)s` command installed, skipped") % {"title": title, "name": name})
            return
        self.step(title)
        with quiet_logger("latih.lms", unless=self.verbosity > 1):
            call_command(name, stdout=self.stdout, stderr=self.stderr, verbosity=self.verbosity, **options)

    # Accounts --------------------------------------------------------------------------------

    @transaction.atomic
    def accounts(self, cycle, agency):
        """The superuser and the demo people, with the demo password; returns (role, user, name) rows."""
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: the slow hasher would run per person
        admin = User.objects.filter(username="admin").first() or User(username="admin", email="admin@localhost")
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.password = password
        admin.save()

        learner = pick_learner(cycle, agency)
        supervisor = learner.supervisor
        taken = {learner.pk, supervisor.pk}
        training_admin = pick_staff(
            agency, taken, units=[r"pengembangan kompetensi", r"kepegawaian|BKPSDM|BKD"],
            positions=("analis-sdm", "pengelola-kepegawaian"),
        )
        taken.add(training_admin.pk)
        planner = pick_staff(agency, taken, units=[r"perencanaan|bappeda"], positions=("perencana",))
        people = [
            (_("ASN with gaps"), learner, [ASN]),
            (_("Supervisor"), supervisor, [ASN, SUPERVISOR]),
            (_("Training admin"), training_admin, [ASN, TRAINING_ADMIN]),
            (_("Planner"), planner, [ASN, PLANNER]),
        ]
        for _role, employee, groups in people:
            user = employee.user
            user.password, user.is_active = password, True
            user.save(update_fields=["password", "is_active"])
            user.groups.add(*(Group.objects.get_or_create(name=g)[0] for g in groups))
        return [(_("Superuser"), "admin", _("Administrator (all agencies)"))] + [
            (role, employee.nip, "%s — %s, %s" % (employee.name, employee.position.name, employee.unit.name))
            for role, employee, _groups in people
        ]

    def print_logins(self, logins, year, seconds):
        if not self.verbosity:
            return
        header = (_("Role"), _("Username"), _("Password"), _("Name"))
        rows = [header] + [(role, username, DEMO_PASSWORD, name) for role, username, name in logins]
        widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Latih demo ready (cycle %(year)s) in %(seconds).0f s. Logins:") % {
            "year": year, "seconds": seconds,
        }))
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths + [0], strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths + [len(header[3])]))
        self.stdout.write(_("Site: http://127.0.0.1:8000/  ·  admin: http://127.0.0.1:8000/admin/  (run `manage.py runserver`)"))


@contextmanager
def quiet_logger(name, *, unless=False):
    """Hold back a logger's info lines: the demo catalogue postpones and cancels sessions on
    purpose, and "0 people emailed" for each would only puzzle someone taking a first look."""
    logger = logging.getLogger(name)
    level = logger.level
    if not unless:
        logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


def pick_learner(cycle, agency):
    """A PNS in a typical staff job, with a supervisor who leads a team, no reports, and the most gaps.

    Ties break on NIP, so a re-run picks the same person.
    """
    candidates = (
        Employee.objects.filter(agency=agency, active=True, employment="PNS", supervisor__isnull=False, reports=None)
        .annotate(
            open_gaps=Count("gaps", filter=Q(gaps__cycle=cycle, gaps__gap__gt=0), distinct=True),
        )
        .filter(open_gaps__gte=1)
        .select_related("supervisor", "position", "unit")
    )
    teams = dict(
        Employee.objects.filter(agency=agency, reports__isnull=False)
        .annotate(team=Count("reports", distinct=True)).values_list("pk", "team")
    )
    best = sorted(candidates, key=lambda e: (
        teams.get(e.supervisor_id, 0) < 3, e.position.job_type not in TYPICAL_JOB_TYPES, -e.open_gaps, e.nip,
    ))
    if not best:
        raise CommandError(_(
            "No one in %(agency)s has a supervisor and a gap in %(cycle)s; did the gap analysis run?"
        ) % {"agency": agency.code, "cycle": cycle})
    return best[0]


def pick_staff(agency, taken, *, units, positions):
    """Someone in the first unit (name regex) of ``units`` that has one, preferably in ``positions``.

    ``positions`` are position code prefixes. Falls back to those positions anywhere, then to
    anyone not ``taken``; ties break on NIP.
    """
    people = Employee.objects.filter(agency=agency, active=True).exclude(pk__in=taken).select_related("position", "unit")
    in_position = Q()
    for prefix in positions:
        in_position |= Q(position__code__startswith=prefix)
    choices = []
    for pattern in units:
        in_unit = Q(unit__name__iregex=pattern)
        choices += [people.filter(in_unit, in_position), people.filter(in_unit)]
    for choice in [*choices, people.filter(in_position), people]:
        found = choice.order_by("nip").first()
        if found:
            return found
    raise CommandError(_("%(agency)s has too few employees for the demo accounts.") % {"agency": agency.code})
