"""One frozen settings object, read from environment variables once per process.

Every part of the service (API, workers, CLI commands) builds its resources from a `Settings`;
nothing else reads the environment. When DATABASE_URL, BROKER_URL or STORAGE_URL are unset, the
embedded defaults live under INVOICE_OCR_DATA_DIR: a SQLite database, a local storage folder and a
durable SQLite-backed broker, so `invoice-ocr serve` works with no servers at all.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.options import RECOGNISERS

MB = 1024 * 1024


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices`; the first when unset."""
    raw = (env.get(name) or choices[0]).strip().lower()
    if raw not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    broker_url: str
    storage_url: str
    s3_endpoint_url: str | None
    broker_key_prefix: str
    secret_key: str
    max_upload_bytes: int
    max_batch_bytes: int
    max_batch_files: int
    rate_limit_per_minute: int
    allow_private_callbacks: bool
    ocr_wait_seconds: float
    processing_lease_seconds: int
    queued_lease_seconds: int
    sweep_interval_seconds: float
    pin_cores: bool
    task_max_retries: int
    webhook_max_attempts: int
    webhook_backoff_seconds: float
    webhook_timeout_seconds: float
    ocr_recogniser: str
    ocr_second_reader: bool

    def pipeline_options(self):  # -> pipeline.options.Options
        """The pipeline's options for a document this service processes."""
        from pipeline.options import Options

        return Options(ocr_recogniser=self.ocr_recogniser, ocr_second_reader=self.ocr_second_reader)

    @property
    def is_embedded_broker(self) -> bool:
        return self.broker_url.startswith("sqla+sqlite")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings; `env` defaults to os.environ (tests pass their own mapping)."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("INVOICE_OCR_DATA_DIR") or "./var").resolve()
        database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'invoice-ocr.sqlite3'}"
        if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
            # psycopg 3 is the installed driver; accept the URL form every other tool writes.
            database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
        broker_url = env.get("BROKER_URL") or f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}"
        storage_url = env.get("STORAGE_URL") or (data_dir / "files").as_uri()
        if not (storage_url.startswith("s3://") or storage_url.startswith("file://")):
            raise SettingsError(f"STORAGE_URL must start with s3:// or file://, got {storage_url!r}")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            broker_url=broker_url,
            storage_url=storage_url,
            s3_endpoint_url=env.get("S3_ENDPOINT_URL") or None,
            broker_key_prefix=env.get("INVOICE_OCR_BROKER_PREFIX", ""),
            secret_key=env.get("INVOICE_OCR_SECRET_KEY") or _file_secret(data_dir),
            max_upload_bytes=_int(env, "INVOICE_OCR_MAX_UPLOAD_BYTES", 20 * MB),
            max_batch_bytes=_int(env, "INVOICE_OCR_MAX_BATCH_BYTES", 500 * MB),
            max_batch_files=_int(env, "INVOICE_OCR_MAX_BATCH_FILES", 1000),
            rate_limit_per_minute=_int(env, "INVOICE_OCR_RATE_LIMIT_PER_MINUTE", 120),
            allow_private_callbacks=_bool(env, "INVOICE_OCR_ALLOW_PRIVATE_CALLBACKS"),
            ocr_wait_seconds=_float(env, "INVOICE_OCR_OCR_WAIT_SECONDS", 60.0),
            processing_lease_seconds=_int(env, "INVOICE_OCR_PROCESSING_LEASE_SECONDS", 600),
            queued_lease_seconds=_int(env, "INVOICE_OCR_QUEUED_LEASE_SECONDS", 3600),
            sweep_interval_seconds=_float(env, "INVOICE_OCR_SWEEP_INTERVAL_SECONDS", 60.0),
            pin_cores=_bool(env, "INVOICE_OCR_PIN_CORES", True),
            task_max_retries=_int(env, "INVOICE_OCR_TASK_MAX_RETRIES", 5),
            webhook_max_attempts=_int(env, "INVOICE_OCR_WEBHOOK_MAX_ATTEMPTS", 8),
            webhook_backoff_seconds=_float(env, "INVOICE_OCR_WEBHOOK_BACKOFF_SECONDS", 2.0),
            webhook_timeout_seconds=_float(env, "INVOICE_OCR_WEBHOOK_TIMEOUT_SECONDS", 10.0),
            ocr_recogniser=_choice(env, "INVOICE_OCR_OCR_RECOGNISER", RECOGNISERS),
            ocr_second_reader=_bool(env, "INVOICE_OCR_OCR_SECOND_READER", True),
        )


def _file_secret(data_dir: Path) -> str:
    """The server key when INVOICE_OCR_SECRET_KEY is unset: generated once, kept in the data dir.

    Webhook secrets are derived from this key, so every process sharing a data dir signs alike.
    Deployments with several hosts must set INVOICE_OCR_SECRET_KEY to one value everywhere.
    """
    path = data_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        with open(path, "x") as fh:  # "x": two processes starting at once agree on one key
            fh.write(key)
        os.chmod(path, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    return key
