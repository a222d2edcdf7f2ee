"""Kirkpatrick level 1, reaction: response rates and mean scores per group, hidden below a minimum of respondents."""

from collections.abc import Sequence

import numpy as np
import pandas as pd


def reaction_summary(answers: pd.DataFrame, invited: pd.DataFrame | None, by: Sequence[str], *,
                     min_respondents: int = 5) -> pd.DataFrame:
    """Respondents, response rate and mean score per question and overall, per group.

    ``answers``: one row per respondent × question answered, columns ``respondent``,
    ``question`` (a code such as ``relevance``), ``score`` (1–5; NaN = skipped) and the ``by``
    columns (e.g. ``["course"]``, ``["provider"]``, ``["trainer"]``). ``invited``: one row per
    unit of invitation (a session, say) with the ``by`` columns and ``invited`` (attendees
    asked to answer); rows of a group are summed. ``None`` when unknown.

    Returns one row per group found in either frame, sorted by the ``by`` columns:
    - ``respondents``: distinct respondents with at least one score; ``invited`` (NaN when not
      given); ``response_rate`` = respondents / invited (NaN without a positive invited count);
    - ``mean_<question>`` per question, and ``overall``: the mean of each respondent's own mean,
      so everyone weighs the same however many questions they answered;
    - ``suppressed``: the group has fewer than ``min_respondents`` respondents; its means are
      all NaN. A question answered by fewer than ``min_respondents`` people in a shown group
      has its own mean NaN as well: no mean of fewer people is ever returned.
    Raises ``ValueError`` on a score outside 1–5.
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = {"respondent", "question", "score", *by} - set(answers.columns)
    if missing:
        raise ValueError("reaction_summary: missing answer columns %s" % sorted(missing))
    answered = answers.loc[answers["score"].notna(), [*by, "respondent", "question", "score"]]
    scores = answered["score"].to_numpy(dtype=float)
    if ((scores < 1) | (scores > 5)).any():
        raise ValueError("reaction_summary: scores must lie in 1–5")

    per_respondent = answered.groupby([*by, "respondent"], sort=False, dropna=False)["score"].mean()
    groups = per_respondent.groupby(level=by, sort=False, dropna=False).agg(["size", "mean"])
    groups.columns = ["respondents", "overall"]

    per_question = answered.groupby([*by, "question"], sort=True, dropna=False)
    # Distinct respondents per question, not answers: a duplicated answer must not count as a person.
    people = per_question["respondent"].nunique()
    question_mean = per_question["score"].mean().where(people >= min_respondents)
    wide = question_mean.unstack("question")
    wide.columns = ["mean_%s" % question for question in wide.columns]
    result = groups.join(wide, how="left")

    if invited is not None:
        if {"invited", *by} - set(invited.columns):
            raise ValueError("reaction_summary: invited needs columns %s and invited" % by)
        asked = invited.groupby(by, sort=False, dropna=False)["invited"].sum()
        result = result.join(asked, how="outer")
    else:
        result["invited"] = np.nan
    result["respondents"] = result["respondents"].fillna(0).astype(int)
    invited_count = result["invited"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        result["response_rate"] = np.where(invited_count > 0, result["respondents"] / invited_count, np.nan)
    suppressed = result["respondents"] < min_respondents
    result["suppressed"] = suppressed
    mean_columns = [c for c in result.columns if c.startswith("mean_")] + ["overall"]
    result.loc[suppressed, mean_columns] = np.nan
    result = result.sort_index().reset_index()
    return result[[*by, "respondents", "invited", "response_rate", *sorted(c for c in mean_columns if c != "overall"),
                   "overall", "suppressed"]]


def protect_partition(summary: pd.DataFrame, *, parent: str | None = None, min_respondents: int = 5) -> pd.DataFrame:
    """``summary`` (``reaction_summary``'s) with more groups hidden so no hidden group can be worked out.

    The groups of one ``parent`` (or all rows, a partition of a total shown elsewhere) add up to
    that total: with one small group hidden, the total minus the shown ones would give it away.
    So, per parent, while the hidden groups hold some respondents but fewer than
    ``min_respondents`` between them, the smallest shown group is hidden too. Returns a copy;
    ``suppressed`` marks every hidden group.
    """
    result = summary.copy()
    mean_columns = [c for c in result.columns if c.startswith("mean_")] + ["overall"]
    parents = result.groupby(parent, sort=False).groups.values() if parent else [result.index]
    for rows in parents:
        rows = list(rows)
        while True:
            hidden = result.loc[rows, "suppressed"].astype(bool)
            count = int(result.loc[rows, "respondents"][hidden].sum())
            if count == 0 or count >= min_respondents or hidden.all():
                break
            shown = result.loc[rows][~hidden]
            smallest = shown.sort_values(["respondents"], kind="stable").index[0]
            result.loc[smallest, "suppressed"] = True
            result.loc[smallest, mean_columns] = np.nan
    return result
