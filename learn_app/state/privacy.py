"""Settings → Your data: download a copy of everything the portal stores about you."""

from __future__ import annotations

import json

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.services import audit
from learn_app.services.accounts import data_export
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler


class MyDataState(ProtectedState):
    error: str = ""

    @rx.event
    @signed_in_handler("error")
    def download_json(self, signed: Signed) -> EventSpec:
        self.error = ""
        data = data_export.export_data(signed.session, signed.user)
        audit.record(
            signed.session,
            "privacy.data_exported",
            user_id=signed.user.id,
            ip=self._client_ip(),
            format="json",
        )
        return rx.download(
            data=json.dumps(data, ensure_ascii=False, indent=1),
            filename="my-data.json",
            mime_type="application/json",
        )

    @rx.event
    @signed_in_handler("error")
    def download_csv(self, signed: Signed) -> EventSpec:
        self.error = ""
        body = data_export.reviews_csv(signed.session, signed.user)
        audit.record(
            signed.session,
            "privacy.data_exported",
            user_id=signed.user.id,
            ip=self._client_ip(),
            format="csv",
        )
        return rx.download(data=body, filename="my-reviews.csv", mime_type="text/csv")
