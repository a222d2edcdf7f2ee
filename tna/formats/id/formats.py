"""Indonesian: 4 Des 2026, 16.15 (PUEBI writes the time with a dot), 1.234,5."""

# The short forms equal the long ones: a page never shows 04-12-2026 beside 4 Des 2026.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j M Y H.i"
SHORT_DATETIME_FORMAT = "j M Y H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j M"
FIRST_DAY_OF_WEEK = 1  # Monday

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
