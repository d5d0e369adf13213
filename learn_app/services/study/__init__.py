"""Studying: activities, sessions and reviews, FSRS scheduling and fitting, the plan, statistics."""
