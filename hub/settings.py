"""Typed settings, read once from `PANTAU_*` environment variables.

`pantau services up` writes the addresses and generated credentials of the local services to
`.local/services.env`; that file is read as a fallback, and real environment variables always win.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AnyUrl, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub.core.secret_files import stored_secret

log = logging.getLogger(__name__)
ENV_PREFIX = "PANTAU_"
DEVELOPMENT_JWT_SECRET_FILE = "jwt-secret"  # noqa: S105  (a file name)
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_ENV_FILE = Path(".local/services.env")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(RuntimeError):
    """Start-up stops with this: the message names each offending variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT

    mongo_url: str = Field(min_length=1, pattern=r"^mongodb(\+srv)?://")
    mongo_database: str = Field(default="pantau", pattern=r"^[A-Za-z0-9_-]{1,63}$")

    minio_endpoint: str = Field(min_length=1, description="host:port, without a scheme")
    minio_access_key: str = Field(min_length=3)
    minio_secret_key: SecretStr = Field(min_length=8)
    minio_secure: bool = False
    minio_bucket: str = Field(default="pantau-documents", pattern=r"^[a-z0-9][a-z0-9.-]{2,62}$")
    minio_public_endpoint: str | None = Field(
        default=None,
        pattern=r"^(https?://)?[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$",
        description="where clients reach MinIO (host:port or http(s)://host[:port]), when a proxy stands in "
        "front of it; presigned URLs are signed for it. Default: the internal endpoint",
    )
    minio_region: str = Field(
        default="us-east-1", pattern=r"^[a-z0-9-]{1,40}$", description="signing region of presigned URLs"
    )
    upload_url_ttl_seconds: int = Field(
        default=3600, gt=0, le=7 * 24 * 3600, description="how long a presigned upload URL stays valid"
    )
    upload_confirm_grace_seconds: int = Field(
        default=3600, ge=0, le=7 * 24 * 3600, description="time after the URL expires to confirm an upload"
    )
    download_url_ttl_seconds: int = Field(
        default=300, gt=0, le=7 * 24 * 3600, description="how long a presigned download URL stays valid"
    )
    trash_retention_days: int = Field(
        default=30, gt=0, le=3650, description="days a deleted document stays restorable before it is purged"
    )
    share_link_max_days: int = Field(
        default=30, gt=0, le=366, description="the longest a document's share link may last"
    )
    share_link_requests_per_hour: int = Field(
        default=60,
        ge=0,
        le=100_000,
        description="requests to /share/{token} one client address may make per hour (0: no limit)",
    )
    trash_purge_interval_seconds: float = Field(
        default=3600.0, gt=0, description="how often the trash and expired uploads are emptied"
    )
    orphan_object_grace_seconds: int = Field(
        default=3600,
        ge=0,
        description="an object under documents/ that no record names (a process died between storing "
        "the bytes and recording them) is removed by the purge, and reported by `pantau check`, once "
        "older than this; uploads record their bytes within seconds of storing them",
    )
    sync_tombstone_retention_days: int = Field(
        default=90,
        gt=0,
        le=3650,
        description="days the record of a removal is kept for syncing clients; older syncs must start over",
    )
    sync_settle_seconds: float = Field(
        default=2.0,
        ge=0,
        le=300,
        description="how far before the start of a sync its `syncedUntil` lies (writes still committing)",
    )

    es_url: AnyUrl
    es_username: str | None = None
    es_password: SecretStr | None = None
    es_nodes: str | None = Field(
        default=None,
        pattern=r"^\s*https?://[^,\s]+(\s*,\s*https?://[^,\s]+)*\s*$",
        description="further nodes of the Elasticsearch cluster, comma-separated URLs: the client spreads "
        "its requests over PANTAU_ES_URL and these, and retries on another node when one does not answer",
    )
    es_index_prefix: str = Field(default="pantau", pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")
    es_shards: int = Field(default=1, gt=0, le=64, description="primary shards of each new search index")
    es_replicas: str = Field(
        default="0-1",
        pattern=r"^([0-9]{1,2}|[0-9]{1,2}-([0-9]{1,2}|all))$",
        description="replicas of each search index: a number, or a range (`0-1`, `0-all`) that Elasticsearch "
        "fits to the nodes there are (auto_expand_replicas); applied to existing indices on start",
    )

    redis_url: str = Field(
        min_length=1,
        pattern=r"^(rediss?|sentinel)://",
        description="redis:// or rediss:// for one server; sentinel://host:port[;sentinel://host:port…][/db] "
        "for the master that Redis Sentinel names (PANTAU_REDIS_SENTINEL_MASTER); the password in a sentinel "
        "URL is the master's",
    )
    redis_sentinel_master: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_.-]{1,100}$", description="the master's name among the sentinels"
    )
    redis_sentinel_password: SecretStr | None = Field(
        default=None, description="password of the sentinels themselves, when they require one"
    )

    max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    max_video_bytes: int = Field(
        default=30 * 1024 * 1024,
        gt=0,
        description="largest accepted video (MP4, QuickTime, WebM): short clips only, stored as they come, "
        "never transcoded; the smaller of this and PANTAU_MAX_UPLOAD_BYTES applies",
    )
    thumbnail_sizes: str = Field(
        default="320,1280",
        pattern=r"^\s*\d{2,4}\s*(,\s*\d{2,4}\s*){0,3}$",
        description="the longest side, in pixels, of each JPEG derivative made of a photo (EXIF removed)",
    )
    region_radius_km: str = Field(
        default="city=25,regency=90,province=600",
        pattern=r"^\s*(city|regency|province)=\d+(\.\d+)?(\s*,\s*(city|regency|province)=\d+(\.\d+)?)*\s*$",
        description="how far from a region's centre (Region.latitude/longitude) a photo's EXIF position may "
        "lie before it is flagged as outside the region, per level: the regions have no boundaries here, "
        "only centres",
    )
    max_json_body_bytes: int = Field(
        default=1024 * 1024, gt=0, description="cap on non-multipart bodies and GET query strings"
    )
    max_batch_operations: int = Field(default=10, gt=0, description="operations in one batched request")
    max_query_cost: int = Field(
        default=1000,
        gt=0,
        description="the most one request may cost (the operations of a batch summed), in points: about one "
        "backend query or one record loaded each (schema/cost.py); a costlier request is refused unrun",
    )
    cost_budget_per_window: int = Field(
        default=10_000,
        ge=0,
        description="points each principal (anonymous callers: each client address) may spend per window; "
        "0: off",
    )
    cost_window_seconds: int = Field(default=60, gt=0, description="the window of the cost budget")

    celery_queue: str = Field(
        default="pantau",
        pattern=r"^[A-Za-z0-9_.-]{1,100}$",
        description="the queue of short periodic jobs; ingest (extraction, OCR) and indexing use this name "
        "with `.ingest` and `.index` appended (workers/queues.py)",
    )
    worker_queues: str = Field(
        default="ingest,index,periodic",
        pattern=r"^\s*(ingest|index|periodic)\s*(,\s*(ingest|index|periodic)\s*)*$",
        description="queue groups `pantau worker` consumes unless --queues says otherwise",
    )
    scheduler_lock_seconds: float = Field(
        default=30.0,
        ge=3,
        le=600,
        description="the scheduler's Redis lock expires this long after its last renewal (renewed three "
        "times as often): a standby scheduler takes over at most this long after the active one stopped",
    )
    task_time_limit_seconds: int = Field(default=600, gt=0)
    malloc_mmap_threshold_bytes: int = Field(
        default=1024 * 1024,
        ge=0,
        le=32 * 1024 * 1024,
        description="the API, workers and scheduler (on glibc) give blocks this large or larger mappings of "
        "their own, returned when freed, instead of glibc's dynamic threshold that lets multi-MiB buffers "
        "fragment the heap (hub/allocator.py); 0 leaves glibc's default",
    )
    broker_visibility_timeout_seconds: int | None = Field(
        default=None,
        gt=0,
        description="how long the message of a task whose worker died (SIGKILL, out of memory, power loss) "
        "waits before it is handed out again; more than the task time limit. Default: twice the time limit, "
        "and at least the limit plus 6 minutes, since a retried task waits up to 5 before it runs",
    )
    sweep_interval_seconds: float = Field(default=60.0, gt=0)

    max_pdf_pages: int = Field(
        default=2000, gt=0, description="PDFs with more pages are rejected; up to this many, all text is read"
    )
    max_ocr_pages: int = Field(
        default=50,
        gt=0,
        description="pages without a text layer (PDF) or image pages (TIFF) OCRed per document; "
        "the others are left unread",
    )
    ocr_timeout_seconds: float = Field(
        default=60.0, gt=0, description="each OCR or page-rendering subprocess is stopped after this long"
    )
    max_image_pixels: int = Field(
        default=100_000_000, gt=0, description="images (each TIFF page) with more pixels are rejected"
    )

    jwt_secret: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="signs access tokens; required in production. Outside production, unset: generated once "
        "into <local_dir>/secrets/jwt-secret and shared by the processes of the checkout",
    )
    local_dir: Path = Field(
        default=Path(".local"),
        description="the checkout's local state (development only): where the development JWT secret is kept",
    )
    access_token_ttl_seconds: int = Field(default=900, gt=0)
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, gt=0)

    audit_key: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="keys the audit chain; required in production, see audit_chain_key",
    )
    audit_checkpoint_interval_seconds: float = Field(
        default=300.0,
        gt=0,
        description="how often the audit chain's head is checkpointed outside MongoDB: the entries written "
        "since the last checkpoint are those a database-only attacker can cut unnoticed (hub/audit)",
    )
    audit_link_interval_seconds: float = Field(
        default=1.0,
        gt=0,
        description="how often the periodic linker links the audit entries waiting in changed documents "
        "(those a request left to it under load, or lost to a crash) into the chain (hub/audit/linker.py)",
    )
    audit_pending_max_age_seconds: float = Field(
        default=300.0,
        gt=0,
        description="`pantau audit verify` exits with 3 when an audit entry has waited longer than this "
        "to be linked (the linker is not running); younger ones are only reported",
    )
    password_check_concurrency: int = Field(
        default=2,
        gt=0,
        le=64,
        description="password hashes (argon2: ~64 MiB and a core each, for a moment) computed at once per "
        "process, in threads off the event loop; further logins wait their turn",
    )
    # Login throttling (hub/access/throttle.py): after the free failures, each attempt waits 2^(failures -
    # free) seconds after the previous one, up to the maximum.
    login_address_free_failures: int = Field(
        default=10, ge=0, le=1000, description="failed logins from one address (any accounts) before delays"
    )
    login_address_max_delay_seconds: int = Field(default=900, gt=0, le=86400)
    login_account_free_failures: int = Field(
        default=5, ge=0, le=1000, description="failed logins on one account (any addresses) before delays"
    )
    login_account_max_delay_seconds: int = Field(
        default=60, gt=0, le=3600, description="kept short: anyone can cause this delay for any account"
    )
    login_failure_memory_seconds: int = Field(
        default=3600, gt=0, le=7 * 86400, description="failures are forgotten this long after the last one"
    )
    trusted_proxies: str = Field(
        default="",
        description="comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (read right "
        "to left); empty: the client address is the socket peer",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="bearer token /metrics requires; unset: /metrics answers 404 in production, and is open "
        "in development and tests",
    )

    quarterly_report_due_days: int = Field(default=15, ge=0, description="days after the quarter ends")
    incident_report_due_hours: int = Field(default=24, gt=0, description="hours after the incident")

    case_escalation_grace_days: int = Field(
        default=7, gt=0, le=365, description="days an escalated case gets before it goes up another level"
    )
    case_escalation_interval_seconds: float = Field(
        default=3600.0, gt=0, description="how often overdue cases are looked for"
    )

    saved_search_interval_seconds: float = Field(
        default=900.0, gt=0, description="how often saved searches with notifications look for new results"
    )
    max_saved_searches_per_user: int = Field(
        default=50, gt=0, le=1000, description="saved searches one user may keep"
    )

    max_subscriptions_per_connection: int = Field(
        default=10, gt=0, le=1000, description="GraphQL operations one WebSocket connection may run at once"
    )
    subscription_queue_size: int = Field(
        default=100,
        gt=0,
        le=100_000,
        description="events a subscription may have waiting; one that falls further behind is ended",
    )
    subscription_recheck_seconds: float = Field(
        default=30.0,
        ge=1,
        le=3600,
        description="how often a WebSocket connection's token is checked again (expiry, revoked session or "
        "grant, deactivated account, changed role)",
    )

    reminder_interval_seconds: float = Field(default=3600.0, gt=0, description="how often reminders run")
    reminder_lead_days: int = Field(default=3, ge=0, le=60, description="days ahead that “due soon” starts")
    reminder_overdue_days: int = Field(default=30, gt=0, le=366, description="days overdue still reminded of")
    review_reminder_days: int = Field(
        default=3,
        ge=1,
        le=60,
        description="a report waiting this many days for review reminds its reviewers, a returned one this "
        "many days not resubmitted reminds its author",
    )
    notification_sweep_interval_seconds: float = Field(
        default=60.0, gt=0, description="how often events whose notifications were not written are picked up"
    )
    email_digest_interval_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="how often daily digests due are looked for (each user gets one a day)",
    )
    smtp_host: str | None = Field(
        default=None, description="notification e-mail goes through it; unset: none"
    )
    smtp_port: int = Field(default=587, gt=0, lt=65536)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = Field(default=None, pattern=r"^[^\r\n]{3,300}$", description="the From address")
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    email_language: Literal["id", "en"] = Field(
        default="id", description="the language of e-mail: `id` (Indonesian) or `en` (English)"
    )

    webhook_interval_seconds: float = Field(default=10.0, gt=0, description="how often the outbox is drained")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120, description="per delivery attempt")
    webhook_max_attempts: int = Field(default=8, gt=0, le=50, description="automatic attempts per delivery")
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0, description="first wait; doubled each time")
    webhook_retry_max_seconds: float = Field(
        default=3600.0, gt=0, description="longest wait between attempts"
    )
    webhooks_allow_private: bool = Field(
        default=False, description="loopback/private URLs (development, tests)"
    )
    webhook_signing_key: SecretStr | None = Field(default=None, min_length=32, description="see webhook_key")

    early_warning_window_days: int = Field(
        default=7, gt=0, le=366, description="days of the recent window a region's incidents are counted in"
    )
    early_warning_baseline_windows: int = Field(
        default=12, gt=0, le=520, description="windows of the same length before it: the region's baseline"
    )
    early_warning_threshold: float = Field(
        default=3.0, gt=0, description="score at which a region is flagged (hub/early_warning/stats.py)"
    )
    early_warning_min_count: int = Field(
        default=5, ge=0, description="fewest incidents in the recent window for a region to be flagged"
    )
    early_warning_interval_seconds: float = Field(
        default=3600.0, gt=0, description="how often new early warnings are raised as events"
    )

    backup_target: str | None = Field(
        default=None,
        pattern=r"^(/[^\x00]*|s3://[a-z0-9][a-z0-9.-]{2,62}(/[A-Za-z0-9._/-]*)?)$",
        description="where backups go: an absolute directory, or s3://bucket[/prefix] on the store given by "
        "the PANTAU_BACKUP_S3_* settings; unset: no scheduled backups",
    )
    backup_key: SecretStr | None = Field(
        default=None, min_length=32, description="encrypts and authenticates backups; never stored with them"
    )
    backup_key_file: Path | None = Field(
        default=None,
        description="a file holding the backup key (a mounted secret), instead of PANTAU_BACKUP_KEY",
    )
    backup_s3_endpoint: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$",
        description="host:port of the S3-compatible store of an s3:// target; default: the app's store",
    )
    backup_s3_access_key: str | None = Field(default=None, min_length=3)
    backup_s3_secret_key: SecretStr | None = Field(default=None, min_length=8)
    backup_s3_secure: bool | None = Field(
        default=None, description="TLS to that store; default: as the app's"
    )
    backup_interval_seconds: float = Field(
        default=24 * 3600.0, gt=0, description="how often the scheduler takes a backup (with a target set)"
    )
    backup_keep: int = Field(default=14, ge=1, le=10_000, description="backups kept; older ones are pruned")
    backup_time_limit_seconds: int = Field(
        default=6 * 3600,
        gt=0,
        description="a scheduled backup is stopped after this long (the first is the longest)",
    )
    region_cache_seconds: float = Field(
        default=60.0,
        gt=0,
        le=86400,
        description="longest a process keeps the region tree cached; a change is announced to every process "
        "at once over Redis (hub/caches.py), so this only bounds staleness when that message is lost",
    )
    credential_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        le=60,
        description="longest a process uses what it read about a bearer token (its user and session, or its "
        "partner grant) without reading it again; a deactivation, role change, logout or grant change "
        "is announced to every process at once over Redis (hub/caches.py), so this only bounds how long an "
        "ended credential may still work when that message is lost. 0: read at every request",
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # docker-compose passes an optional variable through as an empty string.
        return None if value == "" else value

    @field_validator("redis_url")
    @classmethod
    def _sentinel_url_is_well_formed(cls, value: str) -> str:
        if value.startswith("sentinel://"):
            from hub.redis_connect import parse_sentinel_url  # it types its argument with these settings

            parse_sentinel_url(value)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: str) -> str:
        _networks(value)
        return value

    @model_validator(mode="after")
    def _visibility_outlasts_a_task(self) -> Settings:
        visibility = self.broker_visibility_timeout_seconds
        if visibility is not None and visibility <= self.task_time_limit_seconds:
            raise ValueError(
                f"{ENV_PREFIX}BROKER_VISIBILITY_TIMEOUT_SECONDS ({visibility}) must be more than "
                f"{ENV_PREFIX}TASK_TIME_LIMIT_SECONDS ({self.task_time_limit_seconds}): a task still running "
                "would be handed to a second worker"
            )
        return self

    @model_validator(mode="after")
    def _budget_admits_a_request(self) -> Settings:
        budget = self.cost_budget_per_window
        if 0 < budget < self.max_query_cost:
            raise ValueError(
                f"{ENV_PREFIX}COST_BUDGET_PER_WINDOW ({budget}) must be 0 or at least "
                f"{ENV_PREFIX}MAX_QUERY_COST ({self.max_query_cost}): an operation allowed on its own could "
                "never run"
            )
        return self

    @model_validator(mode="after")
    def _production_needs_a_jwt_secret(self) -> Settings:
        if self.environment is Environment.PRODUCTION and self.jwt_secret is None:
            raise ValueError(f"{ENV_PREFIX}JWT_SECRET is required when {ENV_PREFIX}ENVIRONMENT=production")
        return self

    @model_validator(mode="after")
    def _production_needs_an_audit_key(self) -> Settings:
        if self.environment is Environment.PRODUCTION and self.audit_key is None:
            raise ValueError(f"{ENV_PREFIX}AUDIT_KEY is required when {ENV_PREFIX}ENVIRONMENT=production")
        return self

    @model_validator(mode="after")
    def _sentinel_needs_a_master_name(self) -> Settings:
        if self.uses_sentinel and self.redis_sentinel_master is None:
            raise ValueError(
                f"{ENV_PREFIX}REDIS_SENTINEL_MASTER is required when {ENV_PREFIX}REDIS_URL is a "
                "sentinel:// URL"
            )
        return self

    @model_validator(mode="after")
    def _smtp_needs_a_sender(self) -> Settings:
        if self.smtp_host and not self.smtp_from:
            raise ValueError(f"{ENV_PREFIX}SMTP_FROM is required when {ENV_PREFIX}SMTP_HOST is set")
        return self

    @model_validator(mode="after")
    def _one_backup_key(self) -> Settings:
        if self.backup_key is not None and self.backup_key_file is not None:
            raise ValueError(
                f"{ENV_PREFIX}BACKUP_KEY and {ENV_PREFIX}BACKUP_KEY_FILE are both set: give the key once"
            )
        return self

    def backup_secret(self) -> bytes:
        """The operator's backup key (PANTAU_BACKUP_KEY, or the file PANTAU_BACKUP_KEY_FILE names), read when
        a backup command needs it: the API never does, so a missing key file does not stop it. SettingsError
        names the variable when there is no usable key."""
        if self.backup_key is not None:
            return self.backup_key.get_secret_value().encode()
        variable = f"{ENV_PREFIX}BACKUP_KEY_FILE"
        if self.backup_key_file is None:
            raise SettingsError(f"no backup key: set {ENV_PREFIX}BACKUP_KEY or {variable}")
        try:
            secret = self.backup_key_file.read_bytes().strip()
        except OSError as error:
            raise SettingsError(
                f"{variable} ({self.backup_key_file}) cannot be read: {error.strerror}"
            ) from None
        if len(secret) < 32:
            raise SettingsError(f"{variable} ({self.backup_key_file}) holds fewer than 32 characters")
        return secret

    @property
    def webhook_key(self) -> bytes:
        """The key each grant's webhook secret is derived from (hub.webhooks.secrets). Outside production
        without a key, a fixed development key, so that the app and the worker derive the same secrets."""
        key = self.webhook_signing_key or self.jwt_secret
        if key is not None:
            return key.get_secret_value().encode()
        if self.is_production:  # unreachable: production requires a JWT secret
            raise RuntimeError(f"{ENV_PREFIX}WEBHOOK_SIGNING_KEY is not set")
        return b"pantau-development-webhook-key-not-for-production"

    @property
    def audit_chain_key(self) -> bytes:
        """The key audit entries are linked and checkpoints signed with (hub.audit). It is deliberately not
        the JWT secret: whoever can mint tokens need not be able to rewrite the audit trail. Outside
        production without a key, a fixed development key, so that every process of a checkout agrees."""
        if self.audit_key is not None:
            return self.audit_key.get_secret_value().encode()
        if self.is_production:  # unreachable: production requires an audit key
            raise RuntimeError(f"{ENV_PREFIX}AUDIT_KEY is not set")
        return b"pantau-development-audit-key-not-for-production"

    @property
    def token_secret(self) -> str:
        """The access-token key (and, derived from it, the cursor key: hub.app). Outside production a missing
        one is generated once into the checkout's local folder and read from there by every process (the API,
        the worker, a second API), so that their tokens and cursors work across processes; only where that
        folder cannot be written is it generated per process."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        if self.is_production:  # unreachable: production requires a JWT secret
            raise RuntimeError(f"{ENV_PREFIX}JWT_SECRET is not set")
        return _development_secret(self.local_dir.resolve() / "secrets", DEVELOPMENT_JWT_SECRET_FILE)

    @property
    def es_hosts(self) -> list[str]:
        """Every Elasticsearch node the client may send to: PANTAU_ES_URL first, then PANTAU_ES_NODES."""
        extra = [url.strip() for url in (self.es_nodes or "").split(",") if url.strip()]
        return [str(self.es_url), *(url for url in extra if url != str(self.es_url))]

    @property
    def uses_sentinel(self) -> bool:
        return self.redis_url.startswith("sentinel://")

    @property
    def broker_visibility_timeout(self) -> int:
        """Seconds a message taken by a worker stays hidden from the others (workers/celery_app.py). It must
        outlast the longest a healthy worker holds one: a running task (the time limit), and a retry waiting
        for its countdown (at most 300 s, workers/tasks.py) and then running; else it runs twice."""
        if self.broker_visibility_timeout_seconds is not None:
            return self.broker_visibility_timeout_seconds
        limit = self.task_time_limit_seconds
        return max(2 * limit, limit + 360)

    @property
    def task_soft_time_limit_seconds(self) -> float:
        """When a task is asked to stop (SoftTimeLimitExceeded), ahead of the hard limit: 30 s before it, or
        a fifth of it for limits under 150 s (a short limit must not leave a task next to no time)."""
        limit = self.task_time_limit_seconds
        return limit - min(30.0, limit / 5)

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return _networks(self.trusted_proxies)

    @property
    def thumbnail_boxes(self) -> tuple[int, ...]:
        """PANTAU_THUMBNAIL_SIZES as numbers, smallest first, each once."""
        return tuple(sorted({int(part) for part in self.thumbnail_sizes.split(",")}))

    @property
    def region_radii_km(self) -> dict[str, float]:
        """PANTAU_REGION_RADIUS_KM as level → kilometres."""
        pairs = (part.strip().partition("=") for part in self.region_radius_km.split(","))
        return {level: float(value) for level, _, value in pairs}

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def graphiql_enabled(self) -> bool:
        return not self.is_production


@lru_cache(maxsize=8)
def _networks(text: str) -> tuple[IPNetwork, ...]:
    """The CIDRs of a comma-separated list (a bare address is its own /32 or /128); ValueError names a bad
    one."""
    networks = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _development_secret(folder: Path, name: str) -> str:
    try:
        return stored_secret(folder, name, lambda: secrets.token_urlsafe(48))
    except OSError as error:
        log.warning("cannot keep the development JWT secret in %s (%s): one per process", folder, error)
        return _process_secret()


@lru_cache(maxsize=1)
def _process_secret() -> str:
    return secrets.token_urlsafe(48)


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        if not item["loc"]:  # a rule across several settings: its message names them
            lines.append("  " + item["msg"].removeprefix("Value error, "))
            continue
        variable = ENV_PREFIX + str(item["loc"][0]).upper()
        problem = "is required but not set" if item["type"] == "missing" else f"is invalid: {item['msg']}"
        lines.append(f"  {variable} {problem}")
    return "invalid configuration:\n" + "\n".join(lines)


def load_settings(env_file: Path | None = None) -> Settings:
    """Read the settings, or raise SettingsError naming every bad variable."""
    path = env_file or Path(os.environ.get(ENV_PREFIX + "ENV_FILE", str(DEFAULT_ENV_FILE)))
    try:
        return Settings(_env_file=path if path.is_file() else None)
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
