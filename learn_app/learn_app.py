"""The Reflex app: pages registered, the REST API mounted, tables registered for migrations."""

import reflex as rx

from learn_app.api.app import api_app
from learn_app.models import TABLES

for table in TABLES:
    rx.ModelRegistry.register(table)

app = rx.App(api_transformer=api_app)


@rx.page(route="/")
def index() -> rx.Component:
    return rx.text("learn_app")
