"""The Indonesian catalogues are complete, keep their placeholders, and are compiled.

Indonesian is the default language, so an untranslated or fuzzy entry shows English (or, for a
fuzzy one, a translation of some older text) to every user; a msgstr whose ``%(name)s`` differs
from its msgid's raises ``KeyError`` or drops a value when the string is formatted; and a .po
edited without running ``compilemessages`` changes nothing at run time, since Django reads the
.mo. Parsed here with a small reader of the PO format (polib is not a dependency); no database.
"""

import gettext
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("tna", "cms", "courses", "lms")
PLURAL_FORMS = "nplurals=1; plural=0;"

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")
# printf-style conversions as Python's % operator reads them, "%%" included (a lone "%" in a
# translation of "%%" would break the formatting).
PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0+ -]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


def _unquote(text, where):
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError("%s: not a quoted string: %s" % (where, text))
    out, chars, i = [], text[1:-1], 0
    while i < len(chars):
        if chars[i] == "\\":
            out.append(ESCAPES[chars[i + 1]])
            i += 2
        else:
            out.append(chars[i])
            i += 1
    return "".join(out)


class Entry:
    def __init__(self, line):
        self.line = line
        self.flags = set()
        self.fields = {}
        self.obsolete = False

    @property
    def msgid(self):
        return self.fields.get("msgid", "")

    @property
    def msgctxt(self):
        return self.fields.get("msgctxt")

    @property
    def plural(self):
        return "msgid_plural" in self.fields

    @property
    def msgstrs(self):
        return {key: value for key, value in self.fields.items() if key.startswith("msgstr")}

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags

    def label(self):
        context = "[%s] " % self.msgctxt if self.msgctxt is not None else ""
        return "line %d: %s%r" % (self.line, context, self.msgid)


def parse_po(path):
    """The entries of a .po file, the header (empty msgid) first; obsolete (#~) entries flagged."""
    entries, entry, current = [], None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, current = None, None
            continue
        if entry is None:
            entry = Entry(number)
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        match = KEYWORD.match(line)
        if match:
            current = match.group(1)
            if current in entry.fields:
                raise ValueError("%s:%d: %s given twice" % (path, number, current))
            entry.fields[current] = _unquote(match.group(2), "%s:%d" % (path, number))
        elif line.startswith('"') and current is not None:
            entry.fields[current] += _unquote(line, "%s:%d" % (path, number))
        else:
            raise ValueError("%s:%d: unexpected line: %s" % (path, number, raw))
    return entries


def _po(app):
    return ROOT / app / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _messages(app):
    """The live entries of ``app``'s catalogue, without the header."""
    return [e for e in parse_po(_po(app)) if not e.obsolete and e.msgid]


def _placeholders(text):
    return Counter(match.group(0) for match in PYTHON_FORMAT.finditer(text))


def _fail(app, problem, labels):
    pytest.fail("%s: %d %s:\n  %s" % (_po(app).relative_to(ROOT), len(labels), problem, "\n  ".join(labels)))


@pytest.mark.parametrize("app", APPS)
def test_header_declares_one_plural_form(app):
    header = next(e for e in parse_po(_po(app)) if not e.obsolete and e.msgid == "")
    match = re.search(r"^Plural-Forms:\s*(.*?)\s*$", header.fields.get("msgstr", ""), re.M)
    assert match and match.group(1) == PLURAL_FORMS, "Indonesian has one plural form: %s" % PLURAL_FORMS


@pytest.mark.parametrize("app", APPS)
def test_every_entry_is_translated_and_not_fuzzy(app):
    fuzzy = [e.label() for e in _messages(app) if e.fuzzy]
    untranslated = [
        e.label() for e in _messages(app) if not e.msgstrs or any(v == "" for v in e.msgstrs.values())
    ]
    if fuzzy:
        _fail(app, "fuzzy entries (check the translation, then remove the flag)", fuzzy)
    if untranslated:
        _fail(app, "untranslated entries", untranslated)


@pytest.mark.parametrize("app", APPS)
def test_plural_entries_have_exactly_one_form(app):
    wrong = [e.label() for e in _messages(app) if e.plural and sorted(e.msgstrs) != ["msgstr[0]"]]
    if wrong:
        _fail(app, "plural entries without exactly msgstr[0]", wrong)


@pytest.mark.parametrize("app", APPS)
def test_translations_keep_the_placeholders(app):
    wrong = []
    for entry in _messages(app):
        if "python-format" not in entry.flags:
            continue
        expected = [_placeholders(entry.msgid)]
        if entry.plural:  # the one Indonesian form stands for every count: it follows the plural
            expected.insert(0, _placeholders(entry.fields["msgid_plural"]))
        for key, text in entry.msgstrs.items():
            if text and _placeholders(text) not in expected:
                wrong.append(
                    "%s %s has %s, expected %s"
                    % (
                        entry.label(),
                        key,
                        sorted(_placeholders(text).elements()),
                        sorted(expected[0].elements()),
                    )
                )
    if wrong:
        _fail(app, "translations whose placeholders differ from the msgid's", wrong)


@pytest.mark.parametrize("app", APPS)
def test_compiled_catalogue_holds_every_translation(app):
    """The .mo next to the .po has every entry, with the .po's text: compilemessages was run."""
    mo = _po(app).with_suffix(".mo")
    assert mo.exists(), "%s is missing: run compilemessages" % mo.relative_to(ROOT)
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in _messages(app):
        if entry.fuzzy:
            continue  # reported by the test above; msgfmt leaves fuzzy entries out
        key = entry.msgid if entry.msgctxt is None else "%s\x04%s" % (entry.msgctxt, entry.msgid)
        if entry.plural:
            found = catalog.get((key, 0))
            wanted = entry.fields.get("msgstr[0]")
        else:
            found = catalog.get(key)
            wanted = entry.fields.get("msgstr")
        if found is None:
            stale.append("%s is not in the .mo" % entry.label())
        elif found != wanted:
            stale.append("%s differs in the .mo" % entry.label())
    if stale:
        _fail(app, "entries not compiled (run compilemessages -l id)", stale)
