"""Running the portal as a service: its processes, its frontend build, health and metrics.

Nothing here imports Reflex at module level; the supervisor (`learn_app.cli run`) uses these
modules before any Reflex process starts.
"""
