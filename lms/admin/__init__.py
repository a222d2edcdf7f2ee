"""Wagtail admin views of the lms app, one module per area; lms.wagtail_hooks registers them."""
