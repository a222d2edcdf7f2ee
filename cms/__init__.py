"""The Wagtail site that composes Latih: settings, URLs, pages, admin views and dashboards."""
