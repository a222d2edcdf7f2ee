"""Career ladders: the next job levels from each job type (UU 20/2023, docs/domain.md#job-types)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadershipProgramme(models.TextChoices):
    """The national leadership training of each managerial level (docs/domain.md#leadership-training)."""

    PKP = "pkp", _("PKP (Pelatihan Kepemimpinan Pengawas)")
    PKA = "pka", _("PKA (Pelatihan Kepemimpinan Administrator)")
    PKN2 = "pkn2", _("PKN Tingkat II (Pelatihan Kepemimpinan Nasional)")
    PKN1 = "pkn1", _("PKN Tingkat I (Pelatihan Kepemimpinan Nasional)")


STRUCTURAL = ["pelaksana", "pengawas", "administrator", "jpt_pratama", "jpt_madya", "jpt_utama"]
FUNCTIONAL_EXPERT = ["ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama"]
FUNCTIONAL_SKILLED = ["pemula", "terampil", "mahir", "penyelia"]
LADDERS = {"structural": STRUCTURAL, "functional_expert": FUNCTIONAL_EXPERT, "functional_skilled": FUNCTIONAL_SKILLED}

#: The leadership training a managerial job level asks of whoever holds it.
PROGRAMME_OF_LEVEL = {
    "pengawas": LeadershipProgramme.PKP,
    "administrator": LeadershipProgramme.PKA,
    "jpt_pratama": LeadershipProgramme.PKN2,
    "jpt_madya": LeadershipProgramme.PKN1,
    "jpt_utama": LeadershipProgramme.PKN1,
}

#: Further steps open from a job type besides its own ladder: a pelaksana may enter a functional
#: ladder, and a functional expert may move to the managerial level of the same weight.
CROSSOVERS = {
    "pelaksana": ["ahli_pertama", "terampil"],
    "ahli_muda": ["pengawas"],
    "ahli_madya": ["administrator"],
    "ahli_utama": ["jpt_pratama"],
    "mahir": ["pengawas"],
    "penyelia": ["pengawas"],
}


def ladder_of(job_type):
    """The name of the ladder ``job_type`` sits on."""
    for name, steps in LADDERS.items():
        if job_type in steps:
            return name
    raise KeyError(job_type)


def next_on_ladder(job_type):
    """The next level on the same ladder, or None at its top."""
    steps = LADDERS[ladder_of(job_type)]
    i = steps.index(job_type)
    return steps[i + 1] if i + 1 < len(steps) else None


def next_steps(job_type):
    """The levels a person in ``job_type`` can move to next: their ladder's next, then crossovers."""
    found = [s for s in [next_on_ladder(job_type)] if s]
    return found + [s for s in CROSSOVERS.get(job_type, []) if s not in found]


def potential_reference(job_type):
    """The level whose standard measures potential: the next on the ladder, else the current one."""
    return next_on_ladder(job_type) or job_type


def leadership_programme_for(job_type, completed=()):
    """The leadership training that fits a person in ``job_type``, given the programmes completed.

    Their own level's programme when they hold a managerial post without it; otherwise the
    programme of the next managerial level they can reach. None when there is nothing above.
    """
    own = PROGRAMME_OF_LEVEL.get(job_type)
    if own and own not in completed:
        return own
    for step in [next_on_ladder(job_type), *CROSSOVERS.get(job_type, [])]:
        while step and step not in PROGRAMME_OF_LEVEL:
            step = next_on_ladder(step)
        if step and PROGRAMME_OF_LEVEL[step] not in completed:
            return PROGRAMME_OF_LEVEL[step]
    return None
