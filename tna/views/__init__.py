"""Views of the tna app's ASN-facing site, one module per area."""
