"""Answering with an exported course or group: the file's text, type and download name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response

from learn_app.services.content import exporter
from learn_app.services.content.course_format import CourseSpec

MEDIA_TYPES: dict[exporter.ExportFormat, str] = {
    "yaml": "application/yaml",
    "json": "application/json",
    "csv": "text/csv",
}

ExportFormatQuery = Annotated[exporter.ExportFormat, Query(alias="format")]

EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment",
        "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
    }
}


def exported_file(spec: CourseSpec, fmt: exporter.ExportFormat, *, name: str) -> Response:
    return Response(
        exporter.render(spec, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
