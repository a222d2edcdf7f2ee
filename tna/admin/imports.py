"""Admin views to upload an import file, preview it or see its errors, and confirm."""

VIEWSETS = []
ADMIN_URLS = []
