"""Motivation that rewards remembering: streaks with freezes and vacations, XP per completed
review, course levels, achievements, weekly goals and class leagues.

Comes after `study` in the import order: it reads reviews, cards and sessions, and registers
itself to hear of each recorded review (`events.install`), doing its work after the review's
transaction commits.
"""

from learn_app.services.achievements import events as _events

_events.install()
