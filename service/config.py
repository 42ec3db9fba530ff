"""Configuration from environment variables, with safe defaults for the embedded mode."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", PROJECT_ROOT / "var"))
DEFAULT_SECRET = "dev-only-secret-change-me-in-production-0123456789"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _normalise_db_url(url: str) -> str:
    """Let operators write postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass
class Settings:
    """Everything the app reads from the environment, in one place."""

    env: str = field(default_factory=lambda: _env("APP_ENV", "development"))
    secret_key: str = field(default_factory=lambda: _env("SECRET_KEY", DEFAULT_SECRET))
    database_url: str = field(
        default_factory=lambda: _normalise_db_url(
            _env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'postal.db'}")
        )
    )
    #: test each pooled connection before use (one more round trip per request)
    database_pre_ping: bool = field(
        default_factory=lambda: _env("DATABASE_PRE_PING", "0").lower() in ("1", "true", "yes"))
    s3_endpoint_url: str | None = field(default_factory=lambda: _env("S3_ENDPOINT_URL"))
    s3_public_endpoint_url: str | None = field(
        default_factory=lambda: _env("S3_PUBLIC_ENDPOINT_URL")
    )
    s3_access_key: str | None = field(default_factory=lambda: _env("S3_ACCESS_KEY"))
    s3_secret_key: str | None = field(default_factory=lambda: _env("S3_SECRET_KEY"))
    s3_region: str = field(default_factory=lambda: _env("S3_REGION", "us-east-1"))
    s3_bucket: str = field(default_factory=lambda: _env("S3_BUCKET", "inspection-photos"))
    #: per attempt: seconds to connect to object storage and to wait for its answer
    s3_connect_timeout_seconds: float = field(
        default_factory=lambda: float(_env("S3_CONNECT_TIMEOUT_SECONDS", "2")))
    s3_read_timeout_seconds: float = field(
        default_factory=lambda: float(_env("S3_READ_TIMEOUT_SECONDS", "10")))
    #: attempts per call to object storage in all (1 = no retry)
    s3_max_attempts: int = field(default_factory=lambda: _int("S3_MAX_ATTEMPTS", 2))
    celery_broker_url: str | None = field(default_factory=lambda: _env("CELERY_BROKER_URL"))
    access_token_minutes: int = field(default_factory=lambda: _int("ACCESS_TOKEN_MINUTES", 30))
    refresh_token_days: int = field(default_factory=lambda: _int("REFRESH_TOKEN_DAYS", 14))
    #: how long a worker trusts its copy of a user's role, jurisdiction and active flag:
    #: a deactivation or role change reaches every worker within this many seconds
    auth_recheck_seconds: float = field(
        default_factory=lambda: float(_env("AUTH_RECHECK_SECONDS", "30")))
    login_max_failures: int = field(default_factory=lambda: _int("LOGIN_MAX_FAILURES", 5))
    login_lock_minutes: int = field(default_factory=lambda: _int("LOGIN_LOCK_MINUTES", 15))
    #: reverse proxies in front of the API whose X-Forwarded-For is trusted for the client's
    #: address (login lock-outs are keyed by it); 0 = the connection's own address
    trusted_proxy_count: int = field(default_factory=lambda: _int("TRUSTED_PROXY_COUNT", 0))
    nearby_max_radius_m: int = field(default_factory=lambda: _int("NEARBY_MAX_RADIUS_M", 50_000))
    #: an inspection farther than this from its site (plus GPS accuracy) is flagged
    inspection_radius_m: int = field(default_factory=lambda: _int("INSPECTION_RADIUS_M", 200))
    #: how far in the future a phone's clock may be before its times are refused
    clock_skew_seconds: int = field(default_factory=lambda: _int("CLOCK_SKEW_SECONDS", 300))
    #: the largest request body, JSON or form (413 before it is read); file imports have
    #: their own cap
    json_max_bytes: int = field(default_factory=lambda: _int("JSON_MAX_BYTES", 2**20))
    photo_max_bytes: int = field(default_factory=lambda: _int("PHOTO_MAX_BYTES", 15 * 2**20))
    photo_upload_expiry_seconds: int = field(
        default_factory=lambda: _int("PHOTO_UPLOAD_EXPIRY_SECONDS", 900))
    photo_download_expiry_seconds: int = field(
        default_factory=lambda: _int("PHOTO_DOWNLOAD_EXPIRY_SECONDS", 300))
    #: a photo's EXIF time may lie this far outside the inspection window
    photo_time_allowance_minutes: int = field(
        default_factory=lambda: _int("PHOTO_TIME_ALLOWANCE_MINUTES", 30))
    #: photos never completed are listed for clean-up after this long
    photo_cleanup_grace_hours: int = field(
        default_factory=lambda: _int("PHOTO_CLEANUP_GRACE_HOURS", 24))
    #: a fine from this amount (fen) makes a decision major: legal review first
    enforcement_major_fine_fen: int = field(
        default_factory=lambda: _int("ENFORCEMENT_MAJOR_FINE_FEN", 1_000_000))
    #: a fine from this amount (fen) entitles the party to a hearing (听证)
    enforcement_hearing_fine_fen: int = field(
        default_factory=lambda: _int("ENFORCEMENT_HEARING_FINE_FEN", 1_000_000))
    #: decisions due within this many days show in the deadline queue
    enforcement_deadline_warning_days: int = field(
        default_factory=lambda: _int("ENFORCEMENT_DEADLINE_WARNING_DAYS", 15))
    #: how long a claim on a queue item lasts unless released
    enforcement_claim_minutes: int = field(
        default_factory=lambda: _int("ENFORCEMENT_CLAIM_MINUTES", 30))
    #: targets of the coverage rates (the seeds': ≥40% publication points, ≥50% recycling)
    publication_point_target: float = field(
        default_factory=lambda: float(_env("PUBLICATION_POINT_TARGET", "0.40")))
    recycling_device_target: float = field(
        default_factory=lambda: float(_env("RECYCLING_DEVICE_TARGET", "0.50")))
    #: targets of the enforcement rates: every order rectified by its due date, every
    #: decision published within 7 working days (the law's own requirement)
    rectification_on_time_target: float = field(
        default_factory=lambda: float(_env("RECTIFICATION_ON_TIME_TARGET", "1.0")))
    disclosure_timeliness_target: float = field(
        default_factory=lambda: float(_env("DISCLOSURE_TIMELINESS_TARGET", "1.0")))
    #: export files (and their jobs) are kept this long; download links live this long
    export_keep_hours: int = field(default_factory=lambda: _int("EXPORT_KEEP_HOURS", 72))
    export_link_seconds: int = field(default_factory=lambda: _int("EXPORT_LINK_SECONDS", 300))
    #: the console's session cookie: sent over HTTPS only (set 1 behind TLS), and how long a
    #: sign-in lasts
    console_cookie_secure: bool = field(
        default_factory=lambda: _env("CONSOLE_COOKIE_SECURE", "0").lower() in ("1", "true", "yes"))
    console_session_hours: int = field(default_factory=lambda: _int("CONSOLE_SESSION_HOURS", 10))
    #: the console map's tile server, an {z}/{x}/{y} URL template (e.g.
    #: https://tiles.example.gov.cn/{z}/{x}/{y}.png); empty: no tiles, nothing external
    console_tile_url: str = field(default_factory=lambda: _env("CONSOLE_TILE_URL", "") or "")
    #: the attribution the tile server asks for, shown under the map
    console_tile_attribution: str = field(
        default_factory=lambda: _env("CONSOLE_TILE_ATTRIBUTION", "") or "")
    #: the console's language: zh or en; empty: the browser's Accept-Language, else zh
    console_language: str = field(default_factory=lambda: _env("CONSOLE_LANGUAGE", "") or "")

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def check(self) -> None:
        """Refuse to run production on development defaults."""
        if self.is_production and (self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32):
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "when APP_ENV=production"
            )
        if self.is_production and self.database_url.startswith("sqlite"):
            raise RuntimeError("APP_ENV=production needs DATABASE_URL pointing at PostgreSQL")
        if self.console_language not in ("", "zh", "en"):
            raise RuntimeError("CONSOLE_LANGUAGE must be zh, en or empty (the browser's choice)")
        if self.console_tile_url and not all(
                part in self.console_tile_url for part in ("{z}", "{x}", "{y}")):
            raise RuntimeError("CONSOLE_TILE_URL must be a template with {z}, {x} and {y}")
