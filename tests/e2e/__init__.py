"""Browser tests: the real app in a real browser."""
