"""``manage.py demo``: everything a first look needs, idempotently; prints the demo logins and their journeys.

The command only orchestrates: each app writes its own demo data (``tna.generate``,
``courses.demo``, ``lms.demo``) through its own services. It does not serve.
"""

import dataclasses
import logging
from contextlib import contextmanager
from time import perf_counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.demo import generate_catalogue, review_states
from courses.signals import catalogue_generated
from lms.demo.impact import demo_impact_history
from lms.demo.mentoring import demo_coaching, demo_mentoring
from lms.demo.planning import demo_planning
from lms.demo.stories import Cast
from lms.demo.training import demo_training
from lms.models import CourseEffect, MentoringPair, Recommendation
from lms.services.impact import evaluate_training
from lms.services.recommendations import recommend_cycle
from tna.generate.evidence import evidence_unfinish, generate_evidence
from tna.generate.talent import generate_talent_evidence
from tna.generate.workforce import generate_workforce
from tna.infra.formats import format_rupiah, integer, number, seconds_text
from tna.infra.progress import StageProgress
from tna.models import Agency, Cycle, Employee, Rating, TalentPlacement, TnaRun
from tna.roles import ASN, PLANNER, SUPERVISOR, TRAINING_ADMIN
from tna.services.positions import required_levels_apply_defaults
from tna.services.talent import talent_grid_run
from tna.services.tna_run import run_tna

from ...demo_journeys import journeys
from ...demo_pages import ensure_demo_pages

# The seed regions of fixtures/seed_regions.json; the first gets the demo logins and more staff.
HOME_AGENCY = "lampung-selatan"
SEED_AGENCIES = [HOME_AGENCY, "lampung-utara", "medan", "sibolga", "prov-jambi"]
# Jambi's seed asks for leadership training aimed at high-potential staff: it weighs it more.
LEADERSHIP_PRIORITY = {"prov-jambi": 80}
DEMO_PASSWORD = "latih-demo"  # noqa: S105 - a published demo password, refused without DEBUG
CYCLE_TIME_ZONE = "Asia/Jakarta"
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"
# The demo ASN is preferably an ordinary member of staff, as most users are.
TYPICAL_JOB_TYPES = {"pelaksana", "ahli_pertama", "ahli_muda", "terampil", "mahir"}
# What the demo leaves for its people to do in the open cycle: the ASN has rated themself on
# this share of their competencies and not answered the survey; the supervisor has not yet
# rated and appraised this many of their team.
SELF_ASSESSED = 0.6
TEAM_NOT_RATED = 3


class Command(BaseCommand):
    help = (
        "Load what a first look at Latih needs: the competency dictionary and seed regions, a workforce per "
        "seed agency, this year's evidence (cycle open), the gap analysis, the catalogue, four months of "
        "training with today's work (sessions this week, a waitlist, requests to approve, courses in review), "
        "budgets and plans, a scheduling run, recommendations, an `admin` superuser and four demo people in "
        "lampung-selatan, whose logins it prints with what each of them finds. Safe to re-run: what exists "
        "is kept, nothing is duplicated. It does not serve; run `manage.py runserver` after it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees", type=int, default=300,
            help="Staff of lampung-selatan (default 300); the other seed agencies get half as many.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the generated people and evidence.")
        parser.add_argument(
            "--force", action="store_true",
            help="Run under settings not made for a demo. The demo sets known passwords: never on a real site.",
        )

    def handle(self, *args, employees, seed, force, verbosity=1, **options):
        # The development and demo settings say a demo may be loaded (LATIH_DEMO_DATA); the demo
        # runs without debug so visitors meet the site's error pages, so DEBUG cannot be the test.
        if not (settings.DEBUG or getattr(settings, "LATIH_DEMO_DATA", False)) and not force:
            raise CommandError(_(
                "The demo creates accounts with a published password; it runs only with the development "
                "or demo settings (cms.settings.dev, cms.settings.demo) unless you pass --force."
            ))
        if employees < 20:
            raise CommandError(_("--employees must be at least 20."))
        self.verbosity = verbosity
        started = perf_counter()
        # The demo's people are made up: nothing it does is e-mailed (past training is history, not news).
        quiet_mail = override_settings(LATIH_EMAIL_NOTIFICATIONS=False, EMAIL_BACKEND=NO_MAIL)
        with quiet_mail, quiet_logger("latih.lms", unless=verbosity > 1):
            cycle, home = self.build(employees=employees, seed=seed)
        self.print_logins(cycle, home, perf_counter() - started)

    def build(self, *, employees, seed):
        """Every step in order; returns the open cycle and the agency of the demo logins."""
        self.step(_("Competency dictionary and seed regions"))
        call_command("loaddata", "competencies", "seed_regions", verbosity=0)
        required_levels_apply_defaults()
        agencies = {a.code: a for a in Agency.objects.filter(code__in=SEED_AGENCIES)}
        missing = set(SEED_AGENCIES) - set(agencies)
        if missing:
            raise CommandError(_("The seed_regions fixture lacks %(codes)s.") % {"codes": ", ".join(sorted(missing))})
        year = timezone.localdate(timezone=ZoneInfo(CYCLE_TIME_ZONE)).year
        cycle, _created = Cycle.objects.update_or_create(year=year, defaults={"is_open": True})
        home = agencies[HOME_AGENCY]

        changed = False
        for code in SEED_AGENCIES:
            agency = agencies[code]
            size = employees if code == HOME_AGENCY else employees // 2
            changed |= self.workforce(agency, size, seed)
            changed |= self.evidence(cycle, agency, seed)
        analysed = self.analysis(cycle, rerun=changed)
        self.catalogue([agencies[code] for code in sorted(agencies)])
        history = self.last_year(cycle, home, seed)

        self.step(_("Demo accounts"))
        self.cast = self.accounts(cycle, home)
        if self.work_in_progress(cycle, home, self.cast) or history:
            analysed = self.analysis(cycle, rerun=True, agency=home) or analysed
        self.evaluation(cycle, home, rerun=history)
        placed = self.talent(cycle, [agencies[code] for code in SEED_AGENCIES], seed)
        self.mentoring(cycle, home, seed)
        self.recommendations(cycle, rerun=analysed or placed)
        self.planning(cycle, home, self.cast)
        ensure_demo_pages(agencies=list(agencies.values()))
        return cycle, home

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
            self.note(_("%(agency)s: %(count)s employees already, kept") % {
                "agency": agency.name, "count": integer(existing)})
            return False
        self.step(_("Workforce of %(agency)s") % {"agency": agency.name})
        created = generate_workforce(agency=agency, employees=size, seed=seed, progress=self.progress())
        self.note(_("%(count)s employees") % {"count": integer(created)})
        return True

    def evidence(self, cycle, agency, seed):
        """Generate the cycle's evidence for the agency unless it has ratings; True when generated."""
        if Rating.objects.filter(cycle=cycle, ratee__agency=agency).exists():
            self.note(_("%(agency)s: evidence of %(cycle)s already, kept") % {"agency": agency.name, "cycle": cycle})
            return False
        counts = generate_evidence(cycle_year=cycle.year, agency=agency, seed=seed, progress=self.progress())
        self.note(_("%(agency)s %(cycle)s: %(ratings)s ratings, %(appraisals)s appraisals, %(survey)s survey answers") % {
            "agency": agency.name, "cycle": cycle, "ratings": integer(counts["ratings"]),
            "appraisals": integer(counts["appraisals"]), "survey": integer(counts["survey_responses"]),
        })
        return True

    def analysis(self, cycle, *, rerun, agency=None):
        """Run the TNA (of every agency, or ``agency``) when asked to or when none has succeeded yet; True when run."""
        done = TnaRun.objects.filter(cycle=cycle, agency=None, status=TnaRun.Status.SUCCEEDED).exists()
        if done and not rerun:
            self.note(_("Gap analysis of %(cycle)s already run, kept") % {"cycle": cycle})
            return False
        if agency is None:
            self.step(_("Gap analysis %(cycle)s") % {"cycle": cycle})
        else:
            self.step(_("Gap analysis %(cycle)s of %(agency)s again, with its new evidence and completed training")
                      % {"cycle": cycle, "agency": agency.name})
        run = run_tna(cycle=cycle, agency=agency, progress=self.progress())
        self.note(_("%(employees)s employees, %(gaps)s gaps") % {
            "employees": integer(run.employees), "gaps": integer(run.gaps)})
        return True

    def catalogue(self, agencies):
        """Each agency's catalogue (agencies that have one keep it); their public pages follow the signal."""
        self.step(_("Training catalogue"))

        def report(agency, counts):
            self.note(_("%(agency)s: %(courses)s courses, %(sessions)s sessions") % {
                "agency": agency.name, "courses": integer(counts[0]), "sessions": integer(counts[1])})

        results = generate_catalogue(agencies=agencies, progress=report)
        for agency in agencies:
            if results[agency.code] is None:
                self.note(_("%(agency)s: catalogue already there, kept") % {"agency": agency.name})
        catalogue_generated.send(sender=self.__class__, agencies=agencies)

    def work_in_progress(self, cycle, agency, cast):
        """What the demo people find waiting: evidence left to do, training history and today's work,
        courses in review. True when something was written (the gaps then need another look)."""
        self.step(_("Work in progress at %(agency)s") % {"agency": agency.name})
        removed = evidence_unfinish(cycle=cycle, employee=cast.learner, self_kept=SELF_ASSESSED, survey=True)
        # The learner keeps their supervisor's ratings: without them their profile would have little to show.
        removed += evidence_unfinish(cycle=cycle, employee=cast.supervisor, reports=TEAM_NOT_RATED,
                                     sparing=[cast.learner])
        if removed:
            self.note(_("Open cycle: the ASN's self-assessment and survey and the supervisor's ratings of "
                        "%(n)s team members are still to do") % {"n": integer(TEAM_NOT_RATED)})
        training = demo_training(agency=agency, cycle=cycle, cast=cast)
        if training.sessions:
            self.note(_(
                "%(sessions)s sessions, %(enrollments)s enrollments: %(completed)s completed with certificates, "
                "%(not_completed)s not completed, %(evaluations)s evaluations, %(waitlisted)s on a waitlist, "
                "%(pending)s requests awaiting approval"
            ) % {key: integer(getattr(training, key)) for key in (
                "sessions", "enrollments", "completed", "not_completed", "evaluations", "waitlisted", "pending")})
        else:
            self.note(_("Training history already there, kept"))
        coached = demo_coaching(agency=agency, cast=cast)
        if coached:
            self.note(_("%(count)s coaching conversations by the supervisor with their team") % {"count": integer(coached)})
        in_review = review_states(agency=agency, submitted_by=cast.training_admin.user)
        if in_review:
            self.note(_("%(count)s courses submitted for review") % {"count": integer(len(in_review))})
        return bool(removed or training.sessions or coached)

    def last_year(self, cycle, agency, seed):
        """Last year's training history, evidence and gap analysis at ``agency``; True when written."""
        self.step(_("Last year at %(agency)s: training history and gap analysis %(year)s") % {
            "agency": agency.name, "year": cycle.year - 1})
        history = demo_impact_history(agency=agency, cycle=cycle, seed=seed)
        if not history.trained:
            self.note(_("Last year's evidence already there, kept"))
            return False
        self.note(_("%(trained)s trainings in %(courses)s courses imported as training history; %(ratings)s ratings")
                  % {"trained": integer(history.trained), "courses": integer(history.courses),
                     "ratings": integer(history.ratings)})
        return True

    def evaluation(self, cycle, agency, *, rerun):
        """Measure what last year's courses changed (``evaluate_training``) unless measured already."""
        self.step(_("Evaluation of last year's training"))
        year = cycle.year - 1
        if not rerun and CourseEffect.objects.filter(year=year, course__agency=agency).exists():
            self.note(_("Already measured, kept"))
            return
        if not Cycle.objects.filter(year=year).exists():
            return
        summary = evaluate_training(year=year, agency=agency)
        self.note(_("%(courses)s courses measured, %(enough)s with enough evidence, %(near_zero)s credibly near zero")
                  % {"courses": integer(summary.courses), "enough": integer(summary.enough),
                     "near_zero": integer(summary.near_zero)})

    def talent(self, cycle, agencies, seed):
        """Talent evidence and the 9-box of every seed agency (their development plans follow); True
        when a grid was computed, so recommendations take the new plans in."""
        self.step(_("Talent management: 9-box, development plans and succession"))
        placed = False
        for agency in agencies:
            made = generate_talent_evidence(agency=agency, cycle=cycle, seed=seed,
                                            leadership_priority=LEADERSHIP_PRIORITY.get(agency.code))
            if not made.grade_dates and TalentPlacement.objects.filter(cycle=cycle, agency=agency).exists():
                self.note(_("%(agency)s: placements of %(cycle)s already, kept") % {"agency": agency.name, "cycle": cycle})
                continue
            summary = talent_grid_run(cycle=cycle, agency=agency)
            placed = True
            self.note(_("%(agency)s: %(placed)s people placed (%(top)s in boxes 7–9), %(keys)s key positions, "
                        "%(assessments)s assessment results, %(assignments)s project assignments") % {
                "agency": agency.name, "placed": integer(summary.placed),
                "top": integer(sum(summary.boxes.get(box, 0) for box in (7, 8, 9))),
                "keys": integer(made.key_positions), "assessments": integer(made.assessments),
                "assignments": integer(made.assignments)})
        return placed

    def mentoring(self, cycle, agency, seed):
        """The agency's mentoring programme: mentors named, matched, most pairs started, sessions held; the
        learner's mentor becomes the demo's fifth login."""
        self.step(_("Mentoring at %(agency)s") % {"agency": agency.name})
        summary = demo_mentoring(agency=agency, cycle=cycle, cast=self.cast, seed=seed)
        if summary.programme is None:
            self.note(_("Mentoring programme already there, kept"))
        else:
            self.note(_("“%(name)s”: %(mentors)s mentors, %(pairs)s pairs (%(active)s started), %(sessions)s sessions; "
                        "covered %(covered)s against %(greedy)s by a greedy choice") % {
                "name": summary.programme.name, "mentors": integer(summary.mentors), "pairs": integer(summary.pairs),
                "active": integer(summary.active), "sessions": integer(summary.sessions),
                "covered": number(summary.covered), "greedy": number(summary.greedy_covered)})
        mentor = summary.mentor or mentor_of(self.cast.learner)
        if mentor is not None:
            self.cast = dataclasses.replace(self.cast, mentor=mentor)
            user = mentor.user
            user.password, user.is_active = make_password(DEMO_PASSWORD), True
            user.save(update_fields=["password", "is_active"])
            user.groups.add(Group.objects.get_or_create(name=ASN)[0])

    def recommendations(self, cycle, *, rerun):
        """Recommend courses for the cycle's gaps when the analysis ran or none exist yet."""
        self.step(_("Course recommendations"))
        if not rerun and Recommendation.objects.filter(cycle=cycle).exists():
            self.note(_("Recommendations of %(cycle)s already there, kept") % {"cycle": cycle})
            return
        started = perf_counter()
        summary = recommend_cycle(cycle=cycle)
        self.note(_("%(count)s recommendations for %(employees)s employees, %(in_plan)s in their plans, "
                    "in %(seconds)s") % {
            "count": integer(summary.recommendations), "employees": integer(summary.employees),
            "in_plan": integer(summary.in_plan), "seconds": seconds_text(perf_counter() - started)})

    def planning(self, cycle, agency, cast):
        """Envelopes, plans and a scheduling run of the year at ``agency``, by the demo planner."""
        self.step(_("Budget and schedule of %(agency)s") % {"agency": agency.name})
        planning = demo_planning(agency=agency, cycle=cycle, planner=cast.planner)
        if planning.envelopes:
            self.note(_("%(count)s envelopes, %(amount)s in all") % {
                "count": integer(planning.envelopes), "amount": format_rupiah(planning.budget)})
        if planning.submitted is not None:
            self.note(_("Plan “%(name)s” submitted for approval; a greedy draft with a fifth less money beside it") % {
                "name": planning.submitted.name})
        if planning.schedule is not None:
            self.note(_("Scheduling run: %(classes)s classes proposed") % {
                "classes": integer(planning.schedule.figures.get("classes", 0))})
        if not (planning.envelopes or planning.submitted or planning.schedule):
            self.note(_("Budget, plans and scheduling run already there, kept"))

    # Accounts --------------------------------------------------------------------------------

    @transaction.atomic
    def accounts(self, cycle, agency):
        """The superuser and the demo people, with the demo password; returns the ``Cast``."""
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: the slow hasher would run per person
        admin = User.objects.filter(username="admin").first() or User(username="admin", email="admin@localhost")
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.password = password
        admin.save()

        cast = cast_before(agency) or pick_cast(cycle, agency)
        for employee, groups in (
            (cast.learner, [ASN]), (cast.supervisor, [ASN, SUPERVISOR]), (cast.training_admin, [ASN, TRAINING_ADMIN]),
            (cast.planner, [ASN, PLANNER]),
        ):
            user = employee.user
            user.password, user.is_active = password, True
            user.save(update_fields=["password", "is_active"])
            user.groups.add(*(Group.objects.get_or_create(name=g)[0] for g in groups))
        return cast

    def print_logins(self, cycle, agency, seconds):
        """The logins as a table, each followed by the journeys its person finds waiting."""
        if not self.verbosity:
            return
        cast = self.cast
        people = [
            (_("Superuser"), "admin", _("Administrator (all agencies)"), "admin"),
            (_("ASN with gaps"), cast.learner, None, "learner"),
            (_("Supervisor"), cast.supervisor, None, "supervisor"),
            (_("Training admin"), cast.training_admin, None, "training_admin"),
            (_("Planner"), cast.planner, None, "planner"),
            *([(_("Mentor"), cast.mentor, None, "mentor")] if cast.mentor else []),
        ]
        rows = [(role, who if who == "admin" else who.nip, DEMO_PASSWORD,
                 name or "%s — %s, %s" % (who.name, who.position.name, who.unit.name), key)
                for role, who, name, key in people]
        found = journeys(cycle=cycle, agency=agency, cast=cast)
        header = (_("Role"), _("Username"), _("Password"), _("Name"))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Latih demo ready (cycle %(year)s) in %(seconds)s. Logins:") % {
            "year": cycle.year, "seconds": seconds_text(seconds, 0)}))
        self.stdout.write("  " + "  ".join(str(v).ljust(w) for v, w in zip(header, widths + [0], strict=True)).rstrip())
        self.stdout.write("  " + "  ".join("-" * w for w in widths + [len(header[3])]))
        indent = " " * (2 + widths[0] + 2)
        for *row, key in rows:
            self.stdout.write("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths + [0], strict=True)).rstrip())
            for line in found[key]:
                self.stdout.write(indent + "↳ " + line)
        self.stdout.write(_("Site: http://127.0.0.1:8000/  ·  admin: http://127.0.0.1:8000/admin/  (run `manage.py runserver`)"))


@contextmanager
def quiet_logger(name, *, unless=False):
    """Hold back a logger's info lines: the demo catalogue postpones and cancels sessions on
    purpose, and a line for each would only puzzle someone taking a first look."""
    logger = logging.getLogger(name)
    level = logger.level
    if not unless:
        logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


def cast_before(agency):
    """The demo people an earlier run chose, or None on a first run.

    They alone in the agency have a usable password. Choosing again would not do: the demo's own
    training and unfinished evidence change the gaps the learner was chosen by.
    """
    people = list(
        Employee.objects.filter(agency=agency, active=True).exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .select_related("user", "supervisor__user", "position", "unit")
    )
    groups = {p.pk: set(p.user.groups.values_list("name", flat=True)) for p in people}

    def only(test):
        found = [p for p in people if test(p)]
        return found[0] if len(found) == 1 else None

    learner = only(lambda p: p.supervisor_id in groups and not groups[p.pk] & {SUPERVISOR, TRAINING_ADMIN, PLANNER})
    training_admin = only(lambda p: TRAINING_ADMIN in groups[p.pk])
    planner = only(lambda p: PLANNER in groups[p.pk])
    if None in (learner, training_admin, planner):
        return None
    mentor = mentor_of(learner)
    cast = {learner.pk, learner.supervisor_id, training_admin.pk, planner.pk, *([mentor.pk] if mentor else [])}
    if {p.pk for p in people} != cast:
        return None
    return Cast(learner=learner, supervisor=learner.supervisor, training_admin=training_admin, planner=planner,
                mentor=mentor)


def mentor_of(learner):
    """The mentor of the learner's first pair still going (the demo's fifth login), or None."""
    pair = (MentoringPair.objects.filter(mentee=learner, status__in=[MentoringPair.Status.ACTIVE,
                                                                      MentoringPair.Status.COMPLETED])
            .select_related("mentor__user", "mentor__position", "mentor__unit").order_by("pk").first())
    return pair.mentor if pair else None


def pick_cast(cycle, agency):
    """A learner with gaps and their supervisor, a training admin and a planner of ``agency``."""
    learner = pick_learner(cycle, agency)
    supervisor = learner.supervisor
    taken = {learner.pk, supervisor.pk}
    training_admin = pick_staff(
        agency, taken, units=[r"pengembangan kompetensi", r"kepegawaian|BKPSDM|BKD"],
        positions=("analis-sdm", "pengelola-kepegawaian"),
    )
    taken.add(training_admin.pk)
    planner = pick_staff(agency, taken, units=[r"perencanaan|bappeda"], positions=("perencana",))
    return Cast(learner=learner, supervisor=supervisor, training_admin=training_admin, planner=planner)


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
        .select_related("supervisor__user", "position", "unit", "user")
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
    people = (Employee.objects.filter(agency=agency, active=True).exclude(pk__in=taken)
              .select_related("position", "unit", "user"))
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
