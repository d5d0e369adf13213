"""The Reflex app: pages registered, the REST API mounted, tables registered for migrations."""

import reflex as rx
from reflex.utils.exec import is_prod_mode
from reflex.utils.prerequisites import get_states_dir
from starlette.types import ASGIApp

from learn_app.api.app import MAX_IMPORT_BODY_BYTES, api_app
from learn_app.api.limits import BodySizeLimit
from learn_app.components.layout import BRAND
from learn_app.models import TABLES
from learn_app.ops.heap import freeze_startup_heap
from learn_app.pages import SIGNED_IN_PAGES
from learn_app.pages.auth import index_page, sign_in_page, sign_up_page
from learn_app.private_files import keep_files_private
from learn_app.services.accounts.retention import prune_periodically
from learn_app.state.auth import AuthState
from learn_app.state.errors import report_backend_error

# Persisted state holds sign-in tokens: no file of this process is readable by others.
keep_files_private(get_states_dir(), new_files=is_prod_mode())

REFLEX_UPLOAD_PATH = "/_upload"

for table in TABLES:
    rx.ModelRegistry.register(table)


def _cap_reflex_uploads(asgi: ASGIApp) -> ASGIApp:
    """Reflex's upload route answers anyone with a client token: refuse a body larger than the
    largest file a page takes (a course file) before any of it is read."""
    return BodySizeLimit(asgi, max_bytes=MAX_IMPORT_BODY_BYTES, prefix=REFLEX_UPLOAD_PATH)


app = rx.App(
    api_transformer=[api_app, _cap_reflex_uploads],
    backend_exception_handler=report_backend_error,
    stylesheets=["/styles.css"],
    style={"font_family": "Inter, system-ui, -apple-system, 'Segoe UI', sans-serif"},
)

# Audit and model-call rows past their retention are removed while the backend serves.
app.register_lifespan_task(prune_periodically)
# What the app made while loading lives as long as the worker: keep it out of collections.
app.register_lifespan_task(freeze_startup_heap)

app.add_page(index_page, route="/", title=BRAND, on_load=AuthState.route_home)
app.add_page(
    sign_in_page,
    route="/signin",
    title=f"Sign in · {BRAND}",
    on_load=AuthState.redirect_if_signed_in,
)
app.add_page(
    sign_up_page,
    route="/signup",
    title=f"Create your account · {BRAND}",
    on_load=AuthState.redirect_if_signed_in,
)
for page in SIGNED_IN_PAGES:
    app.add_page(page.component, route=page.route, title=page.title, on_load=page.on_load)
