"""Tests of the mentor matcher (lms.mentoring)."""
