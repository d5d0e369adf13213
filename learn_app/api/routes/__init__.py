"""One router per area of the API; `learn_app.api.app` includes them all under /api."""
