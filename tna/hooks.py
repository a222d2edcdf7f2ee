"""Registries through which apps to the right of tna (lms) feed the gap analysis without tna importing them.

A training-evidence provider is a callable ``provider(cycle, agency)`` (called with keywords:
``cycle`` a ``Cycle``, ``agency`` an ``Agency`` or None for every agency) returning a DataFrame
with one row per completed course that targets a competency:

    employee_id, competency_id, level   (ids; level 1-5 = the level the course brings one to)

lms registers ``lms.training_evidence.training_evidence`` from its ``AppConfig.ready()``::

    from tna.hooks import register_training_evidence
    register_training_evidence(training_evidence)

``read_evidence`` calls every provider once per run, in bulk; the analysis counts each course as
``LATIH_TRAINING_EVIDENCE_WEIGHT`` pseudo-ratings (docs/tna-method.md).

A coaching-evidence provider has the same signature and columns, one row per competency a
supervisor rated in a coaching conversation of the cycle's year (``level`` 1-5 = the level they
saw), oldest first: for each employee and competency the last row counts, as
``LATIH_COACHING_EVIDENCE_WEIGHT`` pseudo-ratings that may pull the level either way. lms
registers ``lms.coaching_evidence.coaching_evidence`` with ``register_coaching_evidence``.
"""

import pandas as pd

COLUMNS = ("employee_id", "competency_id", "level")

#: Import formats of apps to the right of tna by kind (lms: training history), registered with
#: ``register_import_format``; ``tna.imports`` shares this dict and lists them after its own, in the
#: admin upload, the background jobs and ``import_file``.
IMPORT_FORMATS = {}


def register_import_format(fmt):
    """Offer ``fmt`` (a class like ``tna.imports.base.ImportFormat``: ``kind``, ``label``,
    ``required``, ``optional``, ``nip_columns``, ``check_header``, ``validate``, ``write``,
    ``preview_columns``) wherever files are imported; a kind registered again is replaced."""
    IMPORT_FORMATS[fmt.kind] = fmt
    return fmt

_training_evidence = []
_coaching_evidence = []


def _register(providers, provider, what):
    if not callable(provider):
        raise TypeError("A %s provider must be callable." % what)
    if provider not in providers:
        providers.append(provider)
    return provider


def _gather(providers, what, *, cycle, agency):
    """Every provider's rows as one frame (employee, competency, level), in registration order.

    A provider's frame may also name its columns ``employee``/``competency``; anything else is
    an error naming the provider, since a silently ignored source would look like no evidence.
    """
    frames = []
    for provider in providers:
        frame = provider(cycle=cycle, agency=agency)
        if frame is None or len(frame) == 0:
            continue
        frame = pd.DataFrame(frame).rename(columns={"employee": "employee_id", "competency": "competency_id"})
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError("%s provider %s returned no %s column(s)."
                             % (what, getattr(provider, "__qualname__", provider), ", ".join(missing)))
        frames.append(frame[list(COLUMNS)])
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype="int64") for name in ("employee", "competency", "level")})
    frame = pd.concat(frames, ignore_index=True)
    return frame.rename(columns={"employee_id": "employee", "competency_id": "competency"})


def register_training_evidence(provider):
    """Add ``provider`` to the training-evidence sources (once); returns it, so it works as a decorator."""
    return _register(_training_evidence, provider, "training-evidence")


def unregister_training_evidence(provider):
    """Remove ``provider`` (a no-op when it is not registered)."""
    if provider in _training_evidence:
        _training_evidence.remove(provider)


def training_evidence_providers():
    """The registered providers, in registration order."""
    return tuple(_training_evidence)


def training_evidence(*, cycle, agency=None):
    """All providers' rows for ``cycle`` (and ``agency``) as one frame: employee, competency, level."""
    return _gather(_training_evidence, "Training-evidence", cycle=cycle, agency=agency)


def register_coaching_evidence(provider):
    """Add ``provider`` to the coaching-evidence sources (once); returns it, so it works as a decorator."""
    return _register(_coaching_evidence, provider, "coaching-evidence")


def unregister_coaching_evidence(provider):
    """Remove ``provider`` (a no-op when it is not registered)."""
    if provider in _coaching_evidence:
        _coaching_evidence.remove(provider)


def coaching_evidence_providers():
    """The registered coaching providers, in registration order."""
    return tuple(_coaching_evidence)


def coaching_evidence(*, cycle, agency=None):
    """All coaching providers' rows for ``cycle`` (and ``agency``), oldest first per provider: employee,
    competency, level."""
    return _gather(_coaching_evidence, "Coaching-evidence", cycle=cycle, agency=agency)


_profile_sections = []


def register_profile_section(render):
    """Add a section to the competency profile page.

    ``render(*, request, employee)`` returns safe HTML (e.g. from ``render_to_string``) shown below
    the competencies; lms uses it for the person's completed training.
    """
    if not callable(render):
        raise TypeError("A profile section must be callable.")
    if render not in _profile_sections:
        _profile_sections.append(render)
    return render


def profile_sections(*, request, employee):
    """The registered sections rendered for ``employee``, in registration order."""
    return [render(request=request, employee=employee) for render in _profile_sections]
