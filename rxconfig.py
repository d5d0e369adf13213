"""Reflex configuration. Ports and addresses come from `learn_app.config.Settings`.

Development (`make run`): one `reflex run` serves the frontend on 8000 and the backend on 5000.
Production: `reflex run --env prod` serves one half per process; set REFLEX_FRONTEND_ONLY=1 or
REFLEX_BACKEND_ONLY=1 and this config leaves out the other half's port.
"""

import os

import reflex as rx
from learn_app.config import get_settings

settings = get_settings()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


frontend_only = _flag("REFLEX_FRONTEND_ONLY")
backend_only = _flag("REFLEX_BACKEND_ONLY")
database_url = settings.database_url or os.environ.get("DATABASE_URL")

config = rx.Config(
    app_name="learn_app",
    frontend_port=None if backend_only else settings.frontend_port,
    backend_port=None if frontend_only else settings.backend_port,
    api_url=settings.api_url or f"http://localhost:{settings.backend_port}",
    db_url=database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    if database_url
    else None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                appearance="light",
                accent_color="indigo",
                gray_color="slate",
                radius="medium",
                scaling="100%",
            )
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
