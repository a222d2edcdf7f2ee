"""Admin viewsets for agencies, units, positions, employees and competencies."""

VIEWSETS = []
ADMIN_URLS = []
