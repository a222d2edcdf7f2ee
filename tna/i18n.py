"""Pick the Indonesian or English text of a bilingual field for the active language."""

from django.utils.translation import get_language


def localized(obj, field):
    """``obj.<field>_en`` when English is active and it is filled in, else ``obj.<field>``."""
    if (get_language() or "id").startswith("en"):
        english = getattr(obj, field + "_en", "")
        if english:
            return english
    return getattr(obj, field)
