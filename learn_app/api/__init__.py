"""The REST API under /api, served by the Reflex backend on port 5000."""
