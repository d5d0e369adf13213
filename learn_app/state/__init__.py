"""Reflex states, one module per page family; every signed-in state inherits ProtectedState."""
