"""docs/samples imported through the commands into an empty database give the gaps an analyst expects.

The samples are one small agency (Kabupaten Pesawaran, 20 people) and cycle 2026. The story they
tell: Joko Prasetyo, head of the registration counter section, is rated low on communication
(M.03) by everyone who rates him and his work behaviour is below expectations; Yusuf Maulana
rates his fellow clerks about two levels above what everyone else sees; Kesuma Wardana, the
regional secretary, has no supervisor in Latih; several people asked for training in the survey.
"""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import translation

from tna.analysis import analyse
from tna.factories import UserFactory
from tna.models import CompetencyGap, Cycle, Employee, Rating
from tna.selectors import merge_rater_roles, rater_view
from tna.sentences import explain
from tna.services.tna_run import analysis_parameters, read_evidence, run_tna

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
# In the order a new deployment imports them; employees from the workbook, the CSV checked after.
ORDER = [("org", "org.csv"), ("positions", "positions.csv"), ("employees", "employees.xlsx"),
         ("ratings", "ratings.csv"), ("appraisals", "appraisals.csv"), ("survey", "survey.csv")]

JOKO, YUSUF, SEKDA = "198209092009011003", "198701302009121012", "196803141993031002"


def counted(ratings, ratee, competency, role, minimum=3):
    """Whether a ``role`` rating of ``ratee`` on ``competency`` counts (tna.analysis.anonymity):
    supervisors alone or more than ``minimum``; peers and subordinates from ``minimum`` on, or
    pooled with the other small group when the pool reaches ``minimum``."""
    n = {r: 0 for r in ("supervisor", "peer", "subordinate")}
    for e, c, _rater, r, _level in ratings:
        if (e, c) == (ratee, competency) and r in n:
            n[r] += 1
    if role == "supervisor":
        return n[role] == 1 or n[role] > minimum
    if n[role] >= minimum:
        return True
    return sum(v for r, v in n.items() if r != "supervisor" and 0 < v < minimum) >= minimum


class SamplesToGapsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "competencies", verbosity=0)
        cls.hr = UserFactory(username="hr", is_superuser=True)
        cls.outputs = {}
        for kind, name in ORDER:
            out, err = StringIO(), StringIO()
            call_command("import_%s" % kind, str(SAMPLES / name), stdout=out, stderr=err)
            cls.outputs[kind] = (out.getvalue(), err.getvalue())
        cls.cycle = Cycle.objects.get(year=2026)
        run_tna(cycle=cls.cycle)
        cls.gaps = {
            (g.employee.nip, g.competency.code): g
            for g in CompetencyGap.objects.filter(cycle=cls.cycle).select_related("employee", "competency")
        }

    def gap(self, nip, code):
        return self.gaps[(nip, code)]

    def hr_raters(self, gap):
        """The per-role averages as authorised HR sees them."""
        return rater_view(self.hr, gap)

    def test_the_samples_import_cleanly_in_order(self):
        for kind, (_out, err) in self.outputs.items():
            self.assertEqual(err, "", kind)  # no errors and no warnings either
        self.assertEqual(Employee.objects.filter(agency__code="pesawaran").count(), 20)
        self.assertEqual(Rating.objects.filter(cycle=self.cycle).count(), 334)
        roles = set(Rating.objects.values_list("rater_role", flat=True))
        self.assertEqual(roles, {"self", "supervisor", "peer", "subordinate"})

    def test_the_employees_csv_and_workbook_hold_the_same_people(self):
        out = StringIO()
        call_command("import_employees", str(SAMPLES / "employees.csv"), "--dry-run", stdout=out)
        self.assertIn("0, update 0, leave 20 unchanged", out.getvalue())

    def test_the_person_everyone_rates_low_on_communication_has_the_top_gap(self):
        gap = self.gap(JOKO, "M.03")

        self.assertEqual(gap.required_level, 3)  # set for the position in positions.csv
        self.assertLess(gap.observed_level, 1.5)
        self.assertGreater(gap.gap, 1.5)
        self.assertEqual(max(self.gaps.values(), key=lambda g: g.priority), gap)
        self.assertGreaterEqual(gap.priority, 50)
        self.assertIn("behaviour_below", gap.reason["signals"])
        self.assertGreater(gap.reason["priority_parts"]["appraisal"], 0)
        # His two peers are too few to stay anonymous and no pool reaches three: left out.
        self.assertEqual({r["role"] for r in self.hr_raters(gap)}, {"supervisor", "subordinate", "self"})
        self.assertIn("ratings_left_out", gap.reason["signals"])
        with translation.override("en"):
            sentences = explain(gap.reason, self.hr_raters(gap), gap.priority, own=False)
        self.assertRegex(sentences[0], r"^Required level 3, observed 1\.\d \(supervisor 1\.0; subordinates ")
        self.assertRegex(sentences[1], r"^Gap of 1\.\d levels\.")
        self.assertRegex(sentences[-1], r"^High priority \(\d+ of 100\), mostly from the gap of 1\.\d levels")
        self.assertIn("the appraisal (SKP), where work behaviour is below expectations and innovation is rated "
                      "low (2 of 5)", sentences[-1])
        # Joko himself sees his supervisor's and his four subordinates' averages.
        self.assertEqual({r["role"] for r in merge_rater_roles(gap.reason["raters"], min_raters=3)},
                         {"supervisor", "subordinate", "self"})

    def test_the_lenient_rater_is_found_and_corrected(self):
        result = analyse(read_evidence(cycle=self.cycle), analysis_parameters())
        yusuf = Employee.objects.get(nip=YUSUF).pk
        others = result.raters[~result.raters["self_rating"]].set_index("rater")["leniency"]

        self.assertGreater(others[yusuf], 1.0)
        self.assertLess(others.drop(yusuf).abs().max(), 0.5)

        # His corrected ratings sit much closer to what the others rating the same cell say, in
        # every cell where his rating counted (groups too small to stay anonymous count nowhere).
        every = list(Rating.objects.filter(cycle=self.cycle).exclude(rater_role="self")
                     .values_list("ratee_id", "competency_id", "rater_id", "rater_role", "level"))
        ratings = [(e, c, r, lv) for e, c, r, role, lv in every if counted(every, e, c, role)]
        before, after = [], []
        for ratee, competency, rater, level in ratings:
            if rater != yusuf:
                continue
            consensus = [lv for e, c, r, lv in ratings if (e, c) == (ratee, competency) and r != yusuf]
            mean = sum(consensus) / len(consensus)
            before.append(abs(level - mean))
            after.append(abs(level - others[yusuf] - mean))
        self.assertEqual(len(before), 8)  # of his 16: the other 8 sit in peer groups of two
        self.assertGreater(sum(before) / len(before), 1.5)
        # Estimated from 8 cells, shrinkage keeps the correction cautious (1.26 here): the distance
        # to the others falls from about 2.1 levels to under half of that.
        self.assertLess(sum(after) / len(after), 0.45 * sum(before) / len(before))

        # Every result he took part in records the correction, and his inflation no longer shrinks gaps.
        rated = {(e, c) for e, c, r, _lv in ratings if r == yusuf}
        for gap in self.gaps.values():
            if (gap.employee_id, gap.competency_id) in rated:
                self.assertLess(gap.reason["leniency_correction"], -0.15, gap)
        with override_settings(LATIH_LENIENCY_SHRINKAGE=1e9):  # no correction at all
            uncorrected = analyse(read_evidence(cycle=self.cycle), analysis_parameters()).gaps
        siti = uncorrected.set_index(["employee", "competency"]).loc[
            (self.gap("198905162010122008", "M.05").employee_id, self.gap("198905162010122008", "M.05").competency_id)
        ]
        self.assertGreater(self.gap("198905162010122008", "M.05").gap, siti["gap"])

    def test_without_a_supervisor_the_result_stands_with_lower_confidence(self):
        sekda = self.gap(SEKDA, "M.07")
        heads = [g for (nip, code), g in self.gaps.items()
                 if code == "M.07" and g.employee.position.code in ("kepala-badan", "kepala-dinas")]

        self.assertEqual(len(heads), 3)
        self.assertIsNotNone(sekda.observed_level)
        self.assertNotIn("supervisor", sekda.reason["raters"])
        self.assertLess(sekda.confidence, min(h.confidence for h in heads))

    def test_survey_demand_raises_priority_and_is_explained(self):
        gap = self.gap("199302072019032011", "TK.05")  # Dewi Anggraini, HR analyst, asked for data skills

        self.assertEqual(gap.required_level, 3)
        self.assertGreater(gap.gap, 1)
        self.assertEqual(gap.reason["priority_parts"]["survey"], 15.0)
        with translation.override("en"):
            sentences = explain(gap.reason, self.hr_raters(gap), gap.priority, own=True)
        self.assertIn("your request in the training-needs survey, priority 3 (15.0 points)", sentences[-1])

    def test_people_who_meet_the_standard_have_no_gaps_and_unrated_competencies_no_guess(self):
        agus = [g for (nip, code), g in self.gaps.items() if g.employee.name == "Agus Setiawan"]
        self.assertTrue(agus)
        self.assertTrue(all(g.gap == 0 for g in agus))

        unrated = self.gap(JOKO, "SK.01")
        self.assertIsNone(unrated.observed_level)
        self.assertEqual((unrated.gap, unrated.priority), (0, 0))
        with translation.override("en"):
            self.assertIn("no ratings yet", explain(unrated.reason, [], 0)[0])

    def test_running_again_changes_nothing(self):
        before = {key: (g.observed_level, g.gap, g.priority, g.reason) for key, g in self.gaps.items()}

        run_tna(cycle=self.cycle)

        after = {
            (g.employee.nip, g.competency.code): (g.observed_level, g.gap, g.priority, g.reason)
            for g in CompetencyGap.objects.filter(cycle=self.cycle).select_related("employee", "competency")
        }
        self.assertEqual(before, after)
