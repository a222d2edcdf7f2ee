"""Why each pair was made: the need it covers, the mentor's level, where they sit, whether HR locked it."""

import numpy as np


def reasons(problem, pairs) -> list[dict]:
    """One reason per row of ``pairs`` (mentor_id, mentee_id, competency_id, same_location, cross_unit, locked).

    Each is a dict: competency, gap, priority, weight (gap × max(priority, 1) / 100), mentor_level,
    same_location, cross_unit, locked, and ``text``, the same in one sentence.
    """
    needs = problem.needs.set_index(["mentee_id", "competency_id"])[["gap", "priority"]]
    levels = problem.offers.set_index(["mentor_id", "competency_id"])["level"]
    key_need = list(zip(pairs["mentee_id"], pairs["competency_id"], strict=True))
    key_offer = list(zip(pairs["mentor_id"], pairs["competency_id"], strict=True))
    gap = needs["gap"].reindex(key_need).to_numpy(float)
    priority = needs["priority"].reindex(key_need).to_numpy(float)
    level = levels.reindex(key_offer).to_numpy(float)
    out = []
    for i, row in enumerate(pairs.itertuples(index=False)):
        weight = gap[i] * max(priority[i], 1) / 100
        parts = ["gap %g at priority %g in %s (weight %.2f)" % (gap[i], priority[i], row.competency_id, weight),
                 "mentor at level %g" % level[i],
                 "same location" if row.same_location else "another location",
                 "another unit" if row.cross_unit else "same unit"]
        if row.locked:
            parts.append("locked by HR")
        out.append({
            "competency": row.competency_id, "gap": float(gap[i]), "priority": float(priority[i]),
            "weight": float(weight) if np.isfinite(weight) else None, "mentor_level": float(level[i]),
            "same_location": bool(row.same_location), "cross_unit": bool(row.cross_unit),
            "locked": bool(row.locked), "text": "; ".join(parts),
        })
    return out
