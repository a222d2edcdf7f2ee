"""App settings of lms with defaults; override any of them with a ``LATIH_*`` Django setting."""

from tna.infra.conf import LatihSettings

DEFAULTS = {
    # Approve enrollment requests without a supervisor's decision.
    "ENROLLMENT_AUTO_APPROVE": False,
    # Share of a session's meetings a participant must attend to complete it.
    "COMPLETION_ATTENDANCE": 0.8,
    # Lowest post-test score (0–100) that passes, where a course has a post-test.
    "POST_TEST_PASS": 60,
    # Evaluation reminders (manage.py send_evaluation_reminders): at most this many e-mails per person,
    # enrollment and kind, this many days apart; sessions that ended longer ago than the last setting
    # are not chased (nobody is asked about training long past).
    "EVALUATION_REMINDERS": 2,
    "EVALUATION_REMINDER_DAYS": 7,
    "EVALUATION_REMINDER_WITHIN_DAYS": 30,
    # Behaviour follow-up: the learner and their supervisor are asked this many days after completion,
    # and may answer for the following window of days.
    "FOLLOW_UP_DAYS": 90,
    "FOLLOW_UP_OPEN_DAYS": 60,
    # Fewest answers for which an average of follow-up answers is shown (fewer could identify someone).
    "FOLLOW_UP_MIN_ANSWERS": 5,
    # Completed training counts as evidence in the TNA of its year and of this many years in all.
    "TRAINING_EVIDENCE_YEARS": 3,
    # Level (1–5) credited for a competency of imported training history where neither the catalogue
    # course nor the person's position names one (lms.services.training_history_rows).
    "TRAINING_HISTORY_LEVEL": 1,
    # Hours before a session starts after which nobody is promoted from its waitlist.
    "WAITLIST_CUTOFF_HOURS": 0,
    # Invitation (RSVP) links in e-mails work until the session ends plus this grace, and never
    # longer than the maximum after they were sent (lms.links).
    "RSVP_LINK_GRACE_HOURS": 24,
    "RSVP_LINK_MAX_DAYS": 365,
    # A personal calendar feed link that no calendar app has read for this many days stops
    # working (lms.feeds); reading it keeps it alive.
    "CALENDAR_FEED_IDLE_DAYS": 180,
    # E-mail people about their enrollments and session changes (lms.notify). The demo turns it off
    # while it replays past training: those messages would be history, not news.
    "EMAIL_NOTIFICATIONS": True,
    # Queue the recommendations of a cycle (lms.tasks.recommend_task) whenever a TNA run of it
    # publishes new results, so the ASN's list follows the latest gaps.
    "RECOMMEND_AFTER_TNA": True,
    # Most recommendations kept per person and cycle.
    "RECOMMENDATIONS_PER_PERSON": 8,
    # Courses listed per gap: the best one, then alternatives (docs/recommendations.md).
    "RECOMMENDATION_COURSES_PER_GAP": 2,
    # Gap closure (levels) below which a course does not count as closing a gap.
    "RECOMMENDATION_MIN_CLOSURE": 0.25,
    # Rupiah one JP of a participant's time away from work counts for when ranking courses
    # per rupiah and per JP (full cost = cost per participant + JP × this).
    "RECOMMENDATION_RUPIAH_PER_JP": 100_000,
    # Score bonus (share) for a course in the person's preferred mode, and at their preferred time.
    "RECOMMENDATION_MODE_BONUS": 0.15,
    "RECOMMENDATION_TIME_BONUS": 0.05,
    # Budget planning (docs/budget.md): each unit closes at least this share of its proportional
    # part of what its envelope closes; each value-unit it falls short costs this much.
    "BUDGET_FAIRNESS": 0.5,
    "BUDGET_FLOOR_WEIGHT": 4.0,
    # Worth of one JP towards someone's yearly minimum, in priority-weighted levels of gap closed.
    "BUDGET_JP_WEIGHT": 0.02,
    # Most JP a PPPK may be planned a year (docs/domain.md#jp, [P]); None for no cap.
    "BUDGET_PPPK_JP_CAP": 24,
    # Seconds the optimiser may take, and the gap to its proven bound at which it stops.
    "BUDGET_TIME_LIMIT": 20.0,
    "BUDGET_RELATIVE_GAP": 0.002,
    # Development route → budget account, over lms.budget.accounts.ROUTE_ACCOUNTS.
    "BUDGET_ROUTE_ACCOUNTS": {},
    # Training impact (docs/evaluation.md): fewer trained or comparable untrained staff than this
    # and a course's effect says "not enough evidence"; bootstrap draws of its 95% interval.
    "IMPACT_MIN_GROUP": 20,
    # Fewest respondents whose mean reaction (or learning gain) the evaluation report shows.
    "EVALUATION_MIN_RESPONDENTS": 5,
    "IMPACT_BOOTSTRAP": 1000,
    # How many participants' worth of evidence the catalogue's promise counts for when a course's
    # measured effect is shrunk toward it (a course with 4 participants barely moves).
    "IMPACT_PRIOR_STRENGTH": 20.0,
    # A course whose effect's interval reaches no higher than this many levels is flagged to its agency.
    "IMPACT_ZERO_BAND": 0.15,
    # The measured share of the promised closure is used within these bounds.
    "IMPACT_REALISED_RANGE": (0.0, 1.5),
}

settings = LatihSettings(DEFAULTS)
