"""ASN-facing pages of the lms app, one module per area."""
