"""Reusable UI pieces: the shared layout, cards and form fields."""
