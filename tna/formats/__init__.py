"""Latih's date and number formats per language, for ``FORMAT_MODULE_PATH = ["tna.formats"]``.

One way to write a date, a time and a number in each language, used by templates
(``{{ d|date:"DATE_FORMAT" }}``, ``{{ x|floatformat:1 }}``) and by ``tna.infra.formats`` alike:
Indonesian ``4 Des 2026``, ``4 Des 2026 16.15``, ``1.234,5``; English ``4 Dec 2026``,
``4 Dec 2026 16:15``, ``1,234.5``. Names left out here (the input formats) fall back to Django's
own locale files. ``tna.checks`` warns when a site leaves this module out.
"""
