"""``manage.py evaluate --cycle YEAR [--agency CODE] [--format json]``: the design's name for evaluate_training.

The cycle is the one whose gaps sent people to training: its training is measured between that
cycle and the next (docs/evaluation.md), exactly as ``evaluate_training --year YEAR``.
"""

from .evaluate_training import Command as EvaluateTraining


class Command(EvaluateTraining):
    help = EvaluateTraining.help + " Same as evaluate_training --year."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, dest="year",
                            help="The cycle whose training is measured, e.g. 2025 (between cycles 2025 and 2026).")
        parser.add_argument("--agency", help="Agency code: only its courses, measured on its own staff.")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="json prints one object per course and a summary.")
        parser.add_argument("--queue", action="store_true", help="Queue it for the background workers and return.")
