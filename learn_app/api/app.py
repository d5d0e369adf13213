"""The FastAPI application mounted on Reflex's backend; Reflex's own routes are mounted inside it."""

from __future__ import annotations

from fastapi import FastAPI


def create_api() -> FastAPI:
    api = FastAPI(
        title="learn_app API",
        version="1",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    return api


api_app = create_api()
