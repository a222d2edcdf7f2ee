"""Planted effects brought in through the documented imports come back out of evaluate_training.

Two cycles of 360° ratings (the second written as the first, some cells a level higher: for
everyone by chance, more often for the people a course trained) and the training history between
them arrive as the CSV files an agency would import; both cycles' TNA runs; then each course's
effect is measured. The planted effects must lie in their intervals, the useless course must be
flagged, the course with a handful of participants must say there is not enough evidence, and the
recommender must follow the evidence.
"""

import csv
import io

import numpy as np
import pytest
from django.core.management import call_command

from courses.factories import CourseFactory
from lms.models import CourseEffect
from lms.services.impact import evaluate_training
from lms.services.training_history import training_history_import
from tna.generate.evidence import generate_evidence
from tna.generate.workforce import generate_workforce
from tna.imports import import_file
from tna.models import Agency, Competency, Cycle, Employee, Rating
from tna.services.positions import required_levels_apply_defaults
from tna.services.tna_run import run_tna

# Course code → (competency, planted effect in levels, people trained).
PLANTED = {"komunikasi": ("M.03", 0.6, 45), "tanpa-dampak": ("M.05", 0.0, 45), "kecil": ("M.01", 0.6, 6)}
COMMON = 0.1  # everyone's chance of a level more in the second cycle


def _csv(header, rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _measure():
    if True:  # one scene for every check below: building it takes most of the time
        call_command("loaddata", "competencies", "seed_regions", verbosity=0)
        required_levels_apply_defaults()
        agency = Agency.objects.get(code="medan")
        generate_workforce(agency=agency, employees=260, seed=11)
        generate_evidence(cycle_year=2026, agency=agency, seed=11)
        rng = np.random.default_rng(11)
        codes = dict(Competency.objects.values_list("pk", "code"))
        courses = {code: CourseFactory(agency=agency, code=code, title=code.title(), jp=16,
                                       competencies=[(Competency.objects.get(code=comp), 3)])
                   for code, (comp, _effect, _n) in PLANTED.items()}
        people = list(Employee.objects.filter(agency=agency).order_by("pk").values_list("pk", "nip"))
        order, start, trained, history = rng.permutation(len(people)), 0, {}, []
        for code, (_competency, _effect, n) in PLANTED.items():
            for index in order[start:start + n]:
                pk, nip = people[index]
                trained[pk] = code
                history.append([nip, code, "", "", "", "2025-05-05", "2025-05-07", "", "", ""])
            start += n

        # The ratings the generator made become the first cycle; the second is written from them.
        # In a fixed order: the random rises below must fall on the same cells on every engine and run.
        rows = list(Rating.objects.filter(cycle__year=2026, ratee__agency=agency).order_by("pk").values_list(
            "ratee_id", "ratee__nip", "rater__nip", "rater_role", "competency_id", "level"))
        Rating.objects.filter(cycle__year=2026).delete()
        first, second, rises = [], [], {}
        for ratee, ratee_nip, rater_nip, role, competency, level in rows:
            key = (ratee, competency)
            if key not in rises:
                course = trained.get(ratee)
                chance = COMMON
                if course and PLANTED[course][0] == codes[competency]:
                    chance += PLANTED[course][1]
                rises[key] = rng.random() < chance  # every rater of the cell sees the same change
            first.append([2025, ratee_nip, rater_nip, role, codes[competency], level])
            second.append([2026, ratee_nip, rater_nip, role, codes[competency], min(5, level + rises[key])])
        header = ["cycle", "ratee_nip", "rater_nip", "rater_role", "competency", "level"]
        Cycle.objects.get_or_create(year=2025)
        import_file(kind="ratings", file=_csv(header, first), filename="nilai-2025.csv")
        import_file(kind="ratings", file=_csv(header, second), filename="nilai-2026.csv")
        training_history_import(file=_csv(["nip", "course", "title", "competency", "jp", "start", "end", "provider",
                                           "route", "certificate"], history), filename="riwayat.csv")
        for year in (2025, 2026):
            run_tna(cycle=Cycle.objects.get(year=year), agency=agency)
        evaluate_training(year=2025, agency=agency)
        return {code: CourseEffect.objects.get(course=course) for code, course in courses.items()}


@pytest.mark.django_db
def test_planted_effects_brought_in_by_the_imports_come_back_out():
    effects = _measure()
    effect = effects["komunikasi"]
    assert effect.enough and effect.n_treated == 45
    assert effect.low <= PLANTED["komunikasi"][1] <= effect.high
    assert effect.low > 0.2  # and it is told apart from nothing

    # The useless course is flagged.
    effect = effects["tanpa-dampak"]
    assert effect.enough and effect.low <= 0 <= effect.high and effect.high <= 0.15 and effect.near_zero

    # A handful of participants is not enough evidence.
    effect = effects["kecil"]
    assert effect.n_treated == 6 and not effect.enough and effect.reason == "too_few_treated"
    # Its estimate is shrunk most of the way back to what the catalogue promised.
    assert abs(effect.shrunk - effect.prior) < abs(effect.shrunk - effect.estimate)

    # The recommender follows the evidence: the course that changed nothing is expected to close less
    # than the catalogue promised, and less than the one that works.
    assert effects["tanpa-dampak"].shrunk < effects["komunikasi"].shrunk
    assert effects["tanpa-dampak"].realised < 1.0
