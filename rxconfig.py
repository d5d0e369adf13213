"""Reflex configuration. Ports and addresses come from `learn_app.config.Settings`.

`make run` (`python -m learn_app.cli run`) serves a production build: the compiled frontend on
the frontend port, backend workers on the backend port. `make dev` runs `reflex run` with hot
reload on the same ports.
"""

import os

import reflex as rx

from learn_app.config import get_settings

settings = get_settings()
database_url = settings.database_url or os.environ.get("DATABASE_URL")

config = rx.Config(
    app_name="learn_app",
    frontend_port=settings.frontend_port,
    backend_port=settings.backend_port,
    backend_host=settings.bind_host,
    api_url=settings.browser_api_url,
    # The portal's own frontend and the origins LEARN_CORS_ORIGINS adds; never "*".
    cors_allowed_origins=settings.allowed_origins(),
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
