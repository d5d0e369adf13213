"""Domain logic in plain Python: no Reflex below this line."""
