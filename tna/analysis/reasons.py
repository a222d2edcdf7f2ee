"""The ``reason`` JSON of every result row (contract: docs/tna-method.md), built without per-row dicts.

Every number in a reason is rounded to two decimals on a bounded scale, so each fragment of the
JSON text is looked up in a small table of preformatted strings (a NumPy gather) and a row is the
concatenation of its fragments; building a dict and calling ``json.dumps`` per row would cost
about ten times as much.
"""

import json
from functools import lru_cache

import numpy as np

from .inputs import EXPECTATIONS
from .params import PRIORITY_PARTS, ROLES
from .priority import N_SIGNAL_CODES, SURVEY_SHIFT, signal_names

# Float tables cover -5.00 .. 100.00 in steps of 0.01.
LOW, HIGH = -500, 10_000


def number(value):
    """How a two-decimal number appears in the JSON (shortest form, no negative zero)."""
    value = round(float(value), 2)
    return repr(value + 0.0 if value else 0.0)


@lru_cache(maxsize=32)
def float_table(prefix, suffix="", blank=""):
    """``prefix + number + suffix`` for every hundredth from LOW to HIGH, then ``blank``."""
    strings = [prefix + number(i / 100) + suffix for i in range(LOW, HIGH + 1)]
    strings.append(blank)
    return np.array(strings, dtype=object)


def float_index(values, absent=None):
    """Indexes into a ``float_table`` (the '' slot where ``absent`` is true or the value is NaN)."""
    nan = np.isnan(values)
    index = np.rint(np.where(nan, 0.0, values) * 100).astype(np.intp) - LOW
    np.clip(index, 0, HIGH - LOW, out=index)
    missing = nan if absent is None else (nan | absent)
    index[missing] = HIGH - LOW + 1
    return index


@lru_cache(maxsize=8)
def role_table(role, n_max):
    """``"role":{"n":N,"mean":M`` for N in 0..n_max and every mean 1.00-5.00 (index N * 401 + M)."""
    means = [number(1 + i / 100) for i in range(401)]
    strings = [""] * 401 + [
        '"%s":{"n":%d,"mean":%s' % (role, n, mean) for n in range(1, n_max + 1) for mean in means
    ]
    return np.array(strings, dtype=object)


@lru_cache(maxsize=64)
def weight_table(weights):
    """``,"weight":W}`` (plus a comma when another role follows) per role and pattern of roles present."""
    table = np.empty((len(ROLES), 1 << len(ROLES)), dtype=object)
    for pattern in range(1 << len(ROLES)):
        present = [j for j in range(len(ROLES)) if pattern >> j & 1]
        total = sum(weights[j] for j in present)
        for j in range(len(ROLES)):
            if j not in present:
                table[j, pattern] = ""
                continue
            share = weights[j] / total if total > 0 else 0.0
            follows = any(k > j for k in present)
            table[j, pattern] = ',"weight":%s}%s' % (number(share), "," if follows else "")
    return table


@lru_cache(maxsize=1)
def signal_table():
    """``},"signals":[...]`` (closing the raters) plus the survey priority, per signal code."""
    strings = []
    for code in range(N_SIGNAL_CODES):
        text = '},"signals":' + json.dumps(signal_names(code), separators=(",", ":"))
        survey = (code >> SURVEY_SHIFT) & 3
        strings.append(text + (',"survey_priority":%d' % survey if survey else ""))
    return np.array(strings, dtype=object)


def sparse_table(index, size, render):
    """A table of ``size`` strings where only the slots ``index`` uses are rendered, by ``render(slot)``."""
    table = np.empty(size, dtype=object)
    used = np.zeros(size, dtype=bool)
    used[index] = True
    for slot in np.flatnonzero(used).tolist():
        table[slot] = render(slot)
    return table


PREDIKAT = {
    ("above", "below"): "Kurang", ("above", "meets"): "Baik", ("above", "above"): "Sangat Baik",
    ("meets", "below"): "Kurang", ("meets", "meets"): "Baik", ("meets", "above"): "Baik",
    ("below", "below"): "Sangat Kurang", ("below", "meets"): "Butuh Perbaikan", ("below", "above"): "Butuh Perbaikan",
}


@lru_cache(maxsize=1)
def appraisal_table():
    """``,"appraisal":{...}`` per (results, behaviour, discipline, quality, innovation) code; '' at -1."""
    strings = []
    for results in EXPECTATIONS:
        for behaviour in EXPECTATIONS:
            for discipline in range(6):
                for quality in range(6):
                    for innovation in range(6):
                        body = {"results": results, "behaviour": behaviour, "predikat": PREDIKAT[(results, behaviour)]}
                        for name, value in (("discipline", discipline), ("quality", quality), ("innovation", innovation)):
                            if value:
                                body[name] = value
                        strings.append(',"appraisal":' + json.dumps(body, separators=(",", ":")))
    strings.append("")
    return np.array(strings, dtype=object)


def appraisal_index(*, results, behaviour, discipline, quality, innovation):
    """Per-person index into ``appraisal_table``."""
    index = (((results.astype(np.intp) * 3 + behaviour) * 6 + discipline) * 6 + quality) * 6 + innovation
    return np.where(results < 0, 3 * 3 * 6 * 6 * 6, index)


def reason_strings(detail, start=0, stop=None):
    """The reason JSON text of rows ``start:stop`` of an analysis result, as a list of str.

    ``detail`` is ``Result.detail`` (per-row arrays named in ``tna.analysis.pipeline``). Keys
    come in the order that lets neighbouring fragments share a table, not the contract's order.
    """
    sl = slice(start, stop)
    observed = detail["observed"][sl]
    gap = detail["gap"][sl]
    parts = detail["parts"][sl]

    # required, observed, gap, no_evidence and the gap's priority points follow from (required,
    # observed): one fragment, its values taken from the rows themselves.
    observed_slot = np.where(np.isnan(observed), 401, np.clip(np.rint((np.nan_to_num(observed) - 1) * 100), 0, 400))
    head_index = detail["required_level"][sl].astype(np.intp) * 402 + observed_slot.astype(np.intp)
    head_observed = np.full(6 * 402, np.nan)
    head_gap, head_points = np.zeros(6 * 402), np.zeros(6 * 402)
    head_observed[head_index], head_gap[head_index], head_points[head_index] = observed, gap, parts[:, 0]

    def head(slot):
        value = head_observed[slot]
        return '{"required":%d,"observed":%s,"gap":%s,"no_evidence":%s,"priority_parts":{"gap":%s' % (
            slot // 402, "null" if np.isnan(value) else number(value), number(head_gap[slot]),
            "true" if np.isnan(value) else "false", number(head_points[slot]),
        )

    pieces = [sparse_table(head_index, 6 * 402, head)[head_index]]
    for j, name in enumerate(PRIORITY_PARTS[1:], start=1):
        pieces.append(float_table(',"%s":' % name, "}" if j == len(PRIORITY_PARTS) - 1 else "")[float_index(parts[:, j])])

    confidence_slot = np.rint(detail["confidence"][sl] * 100).astype(np.intp)
    correction = np.clip(np.rint(np.nan_to_num(detail["leniency_correction"][sl]) * 100), -400, 400).astype(np.intp)
    confidence_index = confidence_slot * 801 + correction + 400
    pieces.append(sparse_table(confidence_index, 101 * 801, lambda slot: (
        ',"confidence":%s,"leniency_correction":%s,"raters":{' % (number(slot // 801 / 100), number(slot % 801 / 100 - 4))
    ))[confidence_index])

    role_n = detail["role_n"][sl]
    role_mean = detail["role_mean"][sl]
    pattern = ((role_n > 0) * (1 << np.arange(len(ROLES)))).sum(axis=1)
    # Rounded up to a power of two so consecutive chunks reuse the cached table.
    n_max = 1 << max(int(role_n.max()) if role_n.size else 0, 1).bit_length()
    weights = weight_table(tuple(detail["role_weights"]))
    for j, role in enumerate(ROLES):
        mean_index = np.rint((np.nan_to_num(role_mean[:, j], nan=1.0) - 1) * 100).astype(np.intp)
        np.clip(mean_index, 0, 400, out=mean_index)
        pieces.append(role_table(role, n_max)[role_n[:, j] * 401 + mean_index])
        pieces.append(weights[j][pattern])

    pieces.append(signal_table()[detail["signal_code"][sl]])
    training_n = detail["training_n"][sl]
    if training_n.any():
        level = detail["training_level"][sl].astype(np.intp)
        share = np.rint(detail["training_share"][sl] * 100).astype(np.intp)
        training_index = (np.minimum(training_n, 99) * 6 + level) * 101 + share

        def training(slot):
            rest, weight = divmod(slot, 101)
            n, level = divmod(rest, 6)
            return ',"training":{"n":%d,"level":%d,"weight":%s}' % (n, level, number(weight / 100)) if n else ""

        pieces.append(sparse_table(training_index, 100 * 6 * 101, training)[training_index])
    person = detail["person"][sl]
    pieces.append(appraisal_table()[detail["appraisal_index"][person]])
    ikm = detail["ikm"][person]
    pieces.append(float_table(',"ikm":', "}", "}")[float_index(ikm, absent=~detail["is_service"][sl])])
    return ["".join(row) for row in zip(*(piece.tolist() for piece in pieces), strict=True)]
