"""Progress analytics: what a learner's answers and cards say, counted in PostgreSQL.

`learner_progress(session, viewer, learner_id)` gathers every figure of one learner's Progress
page after checking the viewer may read that learner (themself, their teacher, an admin).
Modules: `access` (who may read whom), `answers` (reviews per day, true retention,
calibration, accuracy), `memory` (due forecast, stability/difficulty/retrievability, words
known, hardest words), `workload` (workload against desired retention, simulated).
"""

from learn_app.services.study.analytics.access import viewable_learner
from learn_app.services.study.analytics.progress import (
    ForecastFigures,
    ProgressReport,
    Streaks,
    learner_forecast,
    learner_progress,
)

__all__ = [
    "ForecastFigures",
    "ProgressReport",
    "Streaks",
    "learner_forecast",
    "learner_progress",
    "viewable_learner",
]
