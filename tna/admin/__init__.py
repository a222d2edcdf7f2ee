"""Wagtail admin views of the tna app, one module per area; tna.wagtail_hooks registers them."""
