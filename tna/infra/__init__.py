"""What every Latih app builds on: settings, spreadsheets and row errors, bulk writes, progress,
agency scoping, formats and exports.

The apps to the right of tna (courses, lms, cms) take their infrastructure from this package
and nowhere else in tna (``tests/test_layers.py``). Its modules import Django, Wagtail, DRF and
the libraries they wrap, and of tna only ``tna.models`` and ``tna.roles``.
"""
