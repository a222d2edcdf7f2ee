"""Talent management: the 9-box of performance × potential, career ladders and development actions (docs/talent.md)."""
