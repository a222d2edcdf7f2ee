"""Templates never group a year, an id or a page number: 2026 stays 2026, not 2.026.

``USE_THOUSAND_SEPARATOR`` groups every number a template writes (``2.986`` JP), which is right
for amounts and counts but breaks a year in a sentence, an id in a form value or a URL, and a
page number in a link. Those are written with ``|stringformat:"d"`` (or ``"s"``), or passed
through ``{% url %}``, which does not localise.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("tna", "courses", "lms", "cms")
TOKEN = re.compile(r"\{%\s*(.*?)\s*%\}|\{\{\s*(.*?)\s*\}\}", re.S)
# A value that names a year, an id or a page number: cycle.year, fiscal_year, r.pk, page.next_page_number…
MACHINE_NUMBER = re.compile(r"(^|\.)(year|pk|id|[a-z]+_year|[a-z]+(?<!auto)(?<!label)_id|\w*page_number)$")
SAFE = re.compile(r"\|\s*(stringformat|unlocalize|date|time|urlencode|length|yesno)\b")


def _risky(expression):
    return MACHINE_NUMBER.search(expression.split("|")[0].strip()) and not SAFE.search(expression)


def grouped_numbers(text):
    """(line, expression) of each year/id/page number a template would write grouped."""
    bound = []  # names bound by enclosing {% with %} / {% blocktranslate with %}: checked where bound
    for match in TOKEN.finditer(text):
        tag, variable = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if tag is not None:
            word = tag.split()[0] if tag.split() else ""
            if word in ("with", "blocktranslate", "blocktrans"):
                names = set()
                for name, value in re.findall(r"(\w+)=(\S+)", tag):
                    names.add(name)
                    if _risky(value):
                        yield line, "%s=%s" % (name, value)
                bound.append(names)
            elif word in ("endwith", "endblocktranslate", "endblocktrans") and bound:
                bound.pop()
        elif not any(variable.split("|")[0].strip() in names for names in bound) and _risky(variable):
            yield line, variable


def test_the_checker_finds_what_it_should():
    found = list(grouped_numbers(
        '{{ cycle.year }} {{ r.pk|stringformat:"d" }} <a href="?page={{ page.next_page_number }}">'
        '{% blocktranslate with year=cycle.year %}{{ year }}{% endblocktranslate %}'
        '{% with year=plan.fiscal_year|stringformat:"d" %}{% blocktranslate %}in {{ year }}{% endblocktranslate %}'
        '{% endwith %}{{ form.x.auto_id }} {{ jp_total }}'))
    assert [expression for _line, expression in found] == [
        "cycle.year", "page.next_page_number", "year=cycle.year"]


def test_no_template_groups_a_year_an_id_or_a_page_number():
    problems = []
    for app in APPS:
        for path in sorted((ROOT / app / "templates").rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            problems += ["%s:%d: %s" % (path.relative_to(ROOT), line, expression)
                         for line, expression in grouped_numbers(text)]
    assert not problems, "write these with |stringformat:\"d\":\n" + "\n".join(problems)
