"""Admin views to start a TNA run as a background task and follow its state."""

VIEWSETS = []
ADMIN_URLS = []
