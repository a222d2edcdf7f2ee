"""Latih's app settings with defaults; override any of them with a ``LATIH_*`` Django setting."""

from .infra.conf import LatihSettings

DEFAULTS = {
    # Minutes in one JP (jam pelajaran, lesson hour): docs/domain.md#jp.
    "JP_MINUTES": 45,
    # Minimum development hours a PNS is entitled to each year (docs/domain.md#jp).
    "JP_MINIMUM_PER_YEAR": 20,
    # Default required level per job type for competencies that apply to every position (docs/domain.md#required-levels).
    "DEFAULT_REQUIRED_LEVELS": {
        "jpt_utama": 5,
        "jpt_madya": 5,
        "jpt_pratama": 4,
        "administrator": 3,
        "pengawas": 2,
        "ahli_utama": 4,
        "ahli_madya": 3,
        "ahli_muda": 2,
        "ahli_pertama": 2,
        "penyelia": 2,
        "mahir": 2,
        "terampil": 1,
        "pemula": 1,
        "pelaksana": 1,
    },
    # Weight of each rater role in the observed level (renormalised over the roles present).
    "RATER_WEIGHTS": {"supervisor": 0.4, "peer": 0.25, "subordinate": 0.2, "self": 0.15},
    # Ratings a rater needs before half of their estimated leniency is trusted.
    "LENIENCY_SHRINKAGE": 5.0,
    # Completed training counts as this many pseudo-ratings at the course's level.
    "TRAINING_EVIDENCE_WEIGHT": 0.5,
    # A supervisor's coaching rating of the cycle's year counts as this many pseudo-ratings at its
    # level (0 turns coaching evidence off; docs/tna-method.md explains the value).
    "COACHING_EVIDENCE_WEIGHT": 0.5,
    # Rounds of estimate-leniency / correct / re-estimate (docs/tna-method.md).
    "LENIENCY_ITERATIONS": 3,
    # Effective raters at which the rater-count part of the confidence is one half.
    "CONFIDENCE_RATERS": 2.0,
    # Confidence is multiplied by this when no supervisor rated the competency.
    "CONFIDENCE_NO_SUPERVISOR": 0.8,
    # Below this confidence a result carries the low_confidence signal.
    "LOW_CONFIDENCE": 0.4,
    # A unit IKM below this is "kurang baik" (national boundary 76.61) and raises service gaps.
    "IKM_LOW_THRESHOLD": 76.61,
    # Most priority points (0-100 in total) each factor can contribute.
    "PRIORITY_POINTS": {"gap": 50, "weight": 10, "appraisal": 15, "survey": 15, "ikm": 10},
    # A gap this large (in levels) earns all the gap points.
    "GAP_SATURATION": 2.0,
    # The other priority parts count in full from this gap on, proportionally below it.
    "GAP_PRESENCE": 0.5,
    # Share of a unit that must stay on duty in any block.
    "MIN_ON_DUTY_SHARE": 0.8,
    # The smallest group of peers or subordinates whose ratings stay anonymous: smaller groups are
    # pooled, or left out of the analysis when even the pool is smaller (tna/analysis/anonymity.py).
    "MIN_RATERS_PER_ROLE_SHOWN": 3,
    # Limits of one import uploaded in the admin (docs/imports.md#limits); the manage.py
    # commands read local files and take a row limit only when given one.
    "IMPORT_MAX_BYTES": 64 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 1_000_000,
    # Uploads larger than this are checked and written by a background task with a progress page.
    "IMPORT_BACKGROUND_BYTES": 1024 * 1024,
    # Problems kept per rejected file (shown, and listed in its CSV); the rest are only counted.
    "IMPORT_MAX_ERRORS": 10_000,
    # The storage (a key of Django's STORAGES) that holds uploads between the check and the import.
    "IMPORT_STORAGE": "default",
    # Hours an upload may wait for its confirmation before it is deleted.
    "IMPORT_KEEP_HOURS": 24,
    # Talent management (docs/talent.md). Appraisal cycles read for performance, latest first, and
    # their weights; SKP predikat scores 3 (Sangat Baik), 2 (Baik), 1 (anything lower).
    "TALENT_PERFORMANCE_CYCLES": 2,
    "TALENT_PERFORMANCE_WEIGHTS": [0.6, 0.4],
    # Weighted predikat score from which performance is above expectations, and under which below.
    "TALENT_PERFORMANCE_ABOVE": 2.5,
    "TALENT_PERFORMANCE_BELOW": 1.5,
    # Potential from the competency profile: the mean shortfall (levels) against the standard of
    # the next job level at most which potential is high, and at most which it is medium.
    "TALENT_POTENTIAL_HIGH": 0.25,
    "TALENT_POTENTIAL_MEDIUM": 0.75,
    # Fewest competencies with an observed level before potential is judged from the profile.
    "TALENT_MIN_COMPETENCIES": 3,
    # Assessment-centre job-person match (%) from which potential is high, and medium (PerBKN
    # 26/2019's optimal and fairly optimal bands [U]); an assessment decides over the profile.
    "TALENT_JPM_HIGH": 90,
    "TALENT_JPM_MEDIUM": 78,
    # Development actions per box (docs/domain.md#talent-9-box, [P]): {box: [action codes]}
    # replacing the defaults of tna.talent.boxes.BOX_ACTIONS for the boxes given.
    "TALENT_BOX_ACTIONS": {},
    # Career steps (docs/talent.md#career): appraisal years asked to be at least Baik, years in
    # grade, and project assignments in the last ``CAREER_PROJECT_CYCLES`` cycles.
    "CAREER_APPRAISAL_YEARS": 2,
    "CAREER_YEARS_IN_GRADE": 2,
    "CAREER_PROJECTS": 1,
    "CAREER_PROJECT_CYCLES": 3,
    # Succession readiness: at most this total shortfall (levels) against the key position's
    # standard is "ready in 1–2 years"; none at all (and appraisal and training met) is "ready now".
    "SUCCESSION_NEAR_SHORTFALL": 2.0,
}


settings = LatihSettings(DEFAULTS)

