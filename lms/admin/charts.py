"""Charts of the budget dashboard, drawn server-side as SVG by pygal (no JavaScript, nothing from a CDN).

pygal is a pinned Python package: the page embeds the SVG it returns, so the charts need no
static asset, print and export as they are, and carry their numbers as text for screen readers
next to the tables that hold the same figures.
"""

import functools
import hashlib
import pickle
import re

import pygal
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pygal.style import Style

from tna.infra.formats import number

MILLION = 1_000_000
STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#262626", foreground_strong="#262626",
    foreground_subtle="#c8c8c8", colors=("#007d7e", "#e9b04d", "#cd4444", "#2e1f5e", "#4b8b3b", "#8a6fc4"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", label_font_size=12,
    major_label_font_size=12, value_font_size=11, legend_font_size=12, title_font_size=15, tooltip_font_size=12,
)
SCRIPT = re.compile(r"<script.*?</script>", re.S)


def _share(value):
    """Axis labels and values of a share already in percent: ``12,5%``."""
    return "%s%%" % number(value, 1)


def _figure(value):
    """Axis labels and values in the active language: ``12,5``."""
    return number(value, 1)


CACHE_SECONDS = 24 * 3600


def memoised(draw):
    """``draw`` with its SVG cached by what it is drawn from: its arguments and the active language.

    Drawing is the slow part of a dashboard (about 10 ms a chart); the same figures in the same
    language give the same SVG, so a reload, or another planner of the agency, gets it from the
    cache, and any change of a figure, a label or the language draws it again.
    """
    @functools.wraps(draw)
    def cached(*args, **kwargs):
        digest = hashlib.sha256(pickle.dumps((draw.__name__, get_language(), args, kwargs), protocol=5)).hexdigest()
        key = "latih:chart:" + digest
        svg = cache.get(key)
        if svg is None:
            svg = draw(*args, **kwargs)
            cache.set(key, svg, CACHE_SECONDS)
        return svg

    return cached


def _render(chart):
    # pygal adds an inline config script for its optional JavaScript tooltips, which we do not load.
    return SCRIPT.sub("", chart.render(is_unicode=True))


def _base(kind, title, *, height=None, rows=1, **options):
    return kind(
        title=title, style=STYLE, js=[], disable_xml_declaration=True, width=900,
        height=height or max(240, 90 + 28 * rows), legend_at_bottom=True, legend_at_bottom_columns=1,
        print_values=False, truncate_label=32, truncate_legend=-1, **options,
    )


@memoised
def allocation_chart(table, label, title, *, limit=15):
    """Horizontal bars per row of an allocation table: its share of the money and of the gap closed (%).

    One scale for both, so a row whose gap share outruns its money share is visibly good value.
    """
    rows = table.head(limit).iloc[::-1]  # pygal draws the first label at the bottom
    closure_total = table["expected_closure"].sum()
    cost = [round(100 * c, 1) for c in rows["share_of_cost"]]
    closure = [round(100 * v / closure_total, 1) if closure_total else 0.0 for v in rows["expected_closure"]]
    chart = _base(pygal.HorizontalBar, title, rows=2 * len(rows), value_formatter=_share,
                  range=(0, max([*cost, *closure, 1]) * 1.05))
    chart.x_labels = [str(v) for v in rows[label]]
    chart.add(_("Share of the money (%)"), cost)
    chart.add(_("Share of the gap closed (%)"), closure)
    return _render(chart)


@memoised
def planned_vs_spent_chart(table, title):
    """Grouped bars per account: planned, committed (enrolled) and spent (completed), Rp million."""
    chart = _base(pygal.Bar, title, height=340, value_formatter=_figure, x_label_rotation=0)
    chart.x_labels = list(table["account"])
    for column, name in (("planned", _("Planned")), ("committed", _("Committed (enrolled)")),
                         ("spent", _("Spent (completed)"))):
        chart.add(name, [round(v / MILLION, 1) for v in table[column]])
    return _render(chart)


@memoised
def compare_chart(labels, series, title, unit_label):
    """Grouped horizontal bars comparing plans: ``series`` is [(name, values)] aligned with ``labels``."""
    top = max([0, *(v for _name, values in series for v in values)])
    chart = _base(pygal.HorizontalBar, title, rows=len(series) * len(labels), value_formatter=_figure,
                  range=(0, top * 1.05 or 1))
    chart.x_labels = [str(label) for label in reversed(labels)]
    chart.y_title = unit_label
    for name, values in series:
        chart.add(name, [round(v, 2) for v in reversed(values)])
    return _render(chart)

