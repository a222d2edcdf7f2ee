"""Wagtail admin views of the courses app, one module per area; courses.wagtail_hooks registers them."""
