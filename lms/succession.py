"""Succession readiness: how ready each candidate is for a key position, one at a time or ranked in bulk.

Pure: dataclasses and frames in and out, no ORM (``lms.selectors.career`` reads them). It builds on
the criteria of a career step (``lms.career``: the thresholds in ``Rules``, competency rows and the
appraisal criterion's status); readiness is evidence for the talent committee, not a decision
(docs/talent.md#career-page-and-succession).

Succession readiness of a candidate for a key position (``succession_readiness`` for one,
``rank_candidates`` for many at once, both giving the same answer) weighs the position's own
required levels: *ready now* with no shortfall and no competency without evidence, the appraisal
criterion met and the position's leadership programme done; *ready in 1–2 years* when the total
shortfall (a competency without evidence counting its whole required level) is at most
``SUCCESSION_NEAR_SHORTFALL`` and no recent appraisal is below Baik; otherwise *not yet*.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from tna.grades import JobType
from tna.infra.formats import integer, number
from tna.talent.ladder import next_steps

from .career import EPSILON, MET, MISSING, UNKNOWN, CompetencyRow, Rules, programme_label

READY_NOW, READY_SOON, NOT_YET = "ready_now", "ready_1_2_years", "not_yet"
READINESS = (READY_NOW, READY_SOON, NOT_YET)
RANKED_COLUMNS = ["employee_id", "readiness", "shortfall", "unobserved", "appraisal", "programme_done"]


def feeder_types(job_type):
    """The job types whose next steps lead to ``job_type``: one level below on a ladder, or a crossover."""
    return [jt for jt in JobType.values if job_type in next_steps(jt)]


@dataclass(frozen=True)
class Readiness:
    """A candidate against a key position: ``level`` (``READINESS``) and what stands between."""

    level: str
    shortfall: float
    rows: tuple
    appraisal: str
    programme: str | None
    programme_done: bool

    @property
    def missing_rows(self):
        return sorted((r for r in self.rows if r.status == MISSING), key=lambda r: (-r.shortfall, r.competency_id))

    @property
    def unknown_rows(self):
        return [r for r in self.rows if r.status == UNKNOWN]


def succession_readiness(required, observed, appraisal, *, programme=None, programme_done=False, rules=None):
    """One candidate's readiness for a key position.

    ``required``: the position's own {competency id: required level}; ``observed``: the candidate's
    {competency id: observed level}; ``appraisal``: the status of the appraisal criterion
    (``appraisal_status``); ``programme``: the position's leadership programme or None.
    """
    rules = rules or Rules()
    rows = tuple(
        CompetencyRow(int(cid), int(level), None if observed.get(cid) is None else float(observed[cid]))
        for cid, level in sorted(required.items())
    )
    known = sum(r.shortfall for r in rows if r.observed is not None)
    unseen = sum(r.required for r in rows if r.observed is None)
    total = round(known + unseen, 6)
    done = programme is None or bool(programme_done)
    if total <= EPSILON and appraisal == MET and done:
        level = READY_NOW
    elif total <= rules.near_shortfall + EPSILON and appraisal != MISSING:
        level = READY_SOON
    else:
        level = NOT_YET
    return Readiness(level=level, shortfall=total, rows=rows, appraisal=appraisal, programme=programme,
                     programme_done=done)


def rank_candidates(required, observed, appraisal, programme_done=None, *, rules=None):
    """Readiness of many candidates for one key position at once, best first.

    ``required``: {competency id: level}; ``observed``: a frame indexed by employee id with one
    column per competency id (NaN: no evidence), one row per candidate in the order ties keep;
    ``appraisal``: a Series of appraisal statuses by employee id; ``programme_done``: a boolean
    Series by employee id, or None when the position asks for no leadership programme.
    Returns ``RANKED_COLUMNS``, ordered ready now, ready in 1–2 years, not yet, then by shortfall.
    """
    rules = rules or Rules()
    ids = observed.index
    count = len(ids)
    if required:
        columns = [int(k) for k in required]
        need = np.array([float(required[k]) for k in required])[None, :]
        levels = observed.reindex(columns=columns).to_numpy(dtype=float)
        seen = ~np.isnan(levels)
        short = np.where(seen, np.clip(need - np.nan_to_num(levels), 0, None), need)
        shortfall = np.where(short > EPSILON, short, 0.0).sum(axis=1).round(6)
        unobserved = (~seen).sum(axis=1).astype(np.int64)
    else:
        shortfall, unobserved = np.zeros(count), np.zeros(count, dtype=np.int64)
    status = appraisal.reindex(ids).fillna(UNKNOWN).to_numpy(dtype=object)
    done = np.ones(count, dtype=bool) if programme_done is None else (
        programme_done.reindex(ids).fillna(False).to_numpy(dtype=bool))
    ready = (shortfall <= EPSILON) & (status == MET) & done
    soon = ~ready & (shortfall <= rules.near_shortfall + EPSILON) & (status != MISSING)
    code = np.where(ready, 0, np.where(soon, 1, 2))
    order = np.lexsort((shortfall, code))  # stable: ties keep the order of ``observed``
    return pd.DataFrame({
        "employee_id": np.asarray(ids, dtype=np.int64)[order], "readiness": np.array(READINESS, dtype=object)[code[order]],
        "shortfall": shortfall[order], "unobserved": unobserved[order], "appraisal": status[order],
        "programme_done": done[order],
    }, columns=RANKED_COLUMNS)


# --- words -----------------------------------------------------------------------------------------

def readiness_label(level):
    return {READY_NOW: _("Ready now"), READY_SOON: _("Ready in 1–2 years"), NOT_YET: _("Not yet ready")}[level]


def readiness_gaps(readiness, names):
    """What stands between a candidate and a key position, as short phrases (``names``: {competency id: name})."""
    items = []
    for row in readiness.missing_rows:
        items.append(_("%(competency)s: %(observed)s of level %(required)s") % {
            "competency": names.get(row.competency_id, "#%d" % row.competency_id),
            "observed": number(row.observed), "required": integer(row.required)})
    for row in readiness.unknown_rows:
        items.append(_("%(competency)s: no observed level (level %(required)s required)") % {
            "competency": names.get(row.competency_id, "#%d" % row.competency_id), "required": integer(row.required)})
    if readiness.appraisal == MISSING:
        items.append(_("an appraisal below Baik"))
    elif readiness.appraisal == UNKNOWN:
        items.append(_("not enough appraisal history"))
    if readiness.programme and not readiness.programme_done:
        items.append(_("%(programme)s not completed") % {"programme": programme_label(readiness.programme)})
    return items
