"""Every FORUM_ setting, declared once: name, default, help and how to parse it.

The README's configuration table, `forum-server --help` and validation all read
`SETTINGS`; `load_settings()` turns the environment into one frozen `Settings`.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from forum_server.data_folder import (
    SettingsError,
    check_secret_key,
    check_sqlite_file,
    stored_secret_key,
)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip().lower()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return value

    return parse


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("expected a positive whole number")
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("expected a whole number, 0 or more")
    return number


def _url_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())


def _provider_names(value: str) -> tuple[str, ...]:
    names = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    for name in names:
        if not re.fullmatch(r"[a-z][a-z0-9]{0,31}", name) or name == "default":
            raise ValueError(f"{name!r}: a name is letters and digits, and not 'default'")
    if len(set(names)) != len(names):
        raise ValueError("a name is listed twice")
    return names


def _hour(value: str) -> int:
    hour = int(value)
    if not 0 <= hour <= 23:
        raise ValueError("expected an hour from 0 to 23")
    return hour


def _smtp_url(value: str) -> str:
    value = value.strip()
    if value:
        parsed = urlsplit(value)
        if parsed.scheme not in {"smtp", "smtps"} or not parsed.hostname:
            raise ValueError("expected smtp://host:port or smtps://host:port")
    return value


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false")


@dataclass(frozen=True)
class Setting:
    name: str  # attribute on Settings; the variable is FORUM_<NAME>
    default: str
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return f"FORUM_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "./forum-data",
        "Folder for the SQLite file, the generated secret key, uploads and outgoing mail.",
    ),
    Setting(
        "database_url",
        "",
        "SQLAlchemy URL: sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db. "
        "Empty means forum.db in the data folder.",
    ),
    Setting(
        "broker_url",
        "memory://",
        "Carries new events between server processes: memory:// (one process) or redis://host:6379/0.",
    ),
    Setting(
        "secret_key",
        "",
        "Signs CSRF tokens and invitation links; empty: generated and kept in the data folder.",
    ),
    Setting(
        "base_url",
        "",
        "Public address of the site: links in e-mail, and the trusted browser origin. Empty: "
        "the address serve listens on, where localhost, 127.0.0.1 and [::1] are trusted alike.",
    ),
    Setting(
        "registration",
        "closed",
        "open lets anyone create an account; closed leaves it to the secretariat and invitations.",
        _choice("open", "closed"),
    ),
    Setting(
        "allowed_origins",
        "",
        "Extra origins (comma-separated) allowed for cookie-authenticated changes and WebSockets.",
        _url_list,
    ),
    Setting(
        "secure_cookies",
        "auto",
        "Mark cookies Secure: auto (when base_url is https), true or false.",
        _choice("auto", "true", "false"),
    ),
    Setting(
        "session_days",
        "14",
        "Days a browser sign-in lasts without being used.",
        _positive_int,
    ),
    Setting(
        "identity_cache_seconds",
        "5",
        "Seconds each server process remembers who an API token or sign-in cookie stands "
        "for (0: ask the database on every request); a sign-out, revocation, suspension "
        "or deactivation ends it at once.",
        _non_negative_int,
    ),
    Setting(
        "edit_window_minutes",
        "30",
        "Minutes during which authors may edit their own posts.",
        _positive_int,
    ),
    Setting(
        "max_body_bytes",
        "1048576",
        "Largest request body accepted, in bytes (answers 413 above it); mail-in accepts a "
        "message of this size plus its attached files (552 above it).",
        _positive_int,
    ),
    Setting(
        "max_upload_bytes",
        "20971520",
        "Largest file accepted in the library or on a post, in bytes (answers 413 above it), "
        "and all the files of one form or one reply by mail together.",
        _positive_int,
    ),
    Setting(
        "file_retention_days",
        "30",
        "Days a removed document or attachment is kept before its file is deleted.",
        _positive_int,
    ),
    Setting(
        "webhooks_allow_private",
        "false",
        "true lets webhooks reach loopback, private and link-local addresses (and plain "
        "http): only for a receiver on the same machine or network that you trust.",
        _bool,
    ),
    Setting(
        "login_attempts",
        "10",
        "Failed sign-ins allowed per account and address within fifteen minutes before 429 "
        "(five times as many per address, ten times as many per account within an hour: "
        "docs/running.md).",
        _positive_int,
    ),
    Setting(
        "event_retention_days",
        "30",
        "Days the live event log is kept (pruned hourly); a browser away for longer is asked "
        "to reload instead of catching up.",
        _positive_int,
    ),
    Setting(
        "live_connections_per_account",
        "20",
        "Live (WebSocket) connections one account may hold open at once, per server process; "
        "more are closed with code 4429.",
        _positive_int,
    ),
    Setting(
        "live_connections_per_address",
        "200",
        "Live connections one client address (an IPv6 /64) may hold open at once, per server "
        "process, signed in or not; raise it where many people share one address.",
        _positive_int,
    ),
    Setting(
        "trust_proxy_headers",
        "false",
        "Take the client address from X-Forwarded-For (only behind a reverse proxy you run).",
        _bool,
    ),
    Setting(
        "oidc_issuer",
        "",
        "OpenID Connect sign-in: the provider's issuer URL, exactly as its discovery document "
        "names it. Empty: no single sign-on.",
    ),
    Setting("oidc_client_id", "", "OpenID Connect: this site's client id at the provider."),
    Setting("oidc_client_secret", "", "OpenID Connect: this site's client secret at the provider."),
    Setting("oidc_name", "single sign-on", "OpenID Connect: the provider's name on the button."),
    Setting(
        "oidc_providers",
        "",
        "Further OpenID Connect providers: comma-separated names, each configured with "
        "FORUM_OIDC_{NAME}_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _LABEL (docs/sign-in.md).",
        _provider_names,
    ),
    Setting(
        "smtp_url",
        "",
        "Mail relay: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465. "
        "Empty: outgoing mail is written to the data folder's outbox/ as .eml files.",
        _smtp_url,
    ),
    Setting(
        "mail_from",
        "",
        "Sender address of outgoing mail; empty: forum@ the host of FORUM_BASE_URL.",
    ),
    Setting(
        "mail_domain",
        "",
        "Domain of message ids and of reply addresses (reply+…@ it, for replying by e-mail: "
        "docs/running.md); empty: the host of FORUM_BASE_URL.",
    ),
    Setting(
        "digest_hour",
        "7",
        "Hour of the day (UTC, 0-23) at which daily digests are sent.",
        _hour,
    ),
    Setting(
        "default_language",
        "en",
        "Interface language when neither the account, the language switcher nor the browser "
        "chooses one: ar, zh, en, fr, ru or es.",
        _choice("ar", "zh", "en", "fr", "ru", "es"),
    ),
    Setting(
        "site_name",
        "",
        "The site's name in every page's header and in e-mail; empty: 'Online forums' in the "
        "reader's language. FORUM_SITE_NAME_FR (and _AR, _ZH, _ES, _RU, _EN) per language.",
    ),
    Setting(
        "site_tagline",
        "",
        "A line under the site's name in the footer; empty: 'Online forums and liaison groups' "
        "in the reader's language. FORUM_SITE_TAGLINE_FR (and so on) per language.",
    ),
    Setting(
        "log_level",
        "info",
        "Logging level: debug, info, warning or error.",
        _choice("debug", "info", "warning", "error"),
    ),
)


@dataclass(frozen=True)
class OidcProvider:
    """One OpenID Connect provider people may sign in with."""

    name: str  # "default" for the one the FORUM_OIDC_ISSUER... variables configure
    issuer: str
    client_id: str
    client_secret: str  # empty: a public client (PKCE only)
    label: str

    @property
    def is_default(self) -> bool:
        return self.name == "default"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    broker_url: str
    secret_key: str
    base_url: str
    registration: str
    allowed_origins: tuple[str, ...] = ()
    secure_cookies: str = "auto"
    session_days: int = 14
    identity_cache_seconds: int = 5
    edit_window_minutes: int = 30
    max_body_bytes: int = 1_048_576
    max_upload_bytes: int = 20 * 1024 * 1024
    file_retention_days: int = 30
    webhooks_allow_private: bool = False
    login_attempts: int = 10
    event_retention_days: int = 30
    live_connections_per_account: int = 20
    live_connections_per_address: int = 200
    trust_proxy_headers: bool = False
    smtp_url: str = ""
    mail_from: str = ""
    mail_domain: str = ""
    digest_hour: int = 7
    default_language: str = "en"
    site_name: str = ""
    site_tagline: str = ""
    # FORUM_SITE_NAME_<LANG> and FORUM_SITE_TAGLINE_<LANG>, as (language, text) pairs.
    site_name_by_language: tuple[tuple[str, str], ...] = ()
    site_tagline_by_language: tuple[tuple[str, str], ...] = ()
    log_level: str = "info"
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_name: str = "single sign-on"
    oidc_providers: tuple[str, ...] = ()
    # The providers named in oidc_providers, read from their FORUM_OIDC_<NAME>_* variables.
    oidc_extra: tuple[OidcProvider, ...] = ()
    # False when FORUM_BASE_URL was left empty: `serve` derives it from its address.
    base_url_given: bool = True

    @property
    def sign_in_providers(self) -> tuple[OidcProvider, ...]:
        """Every configured OpenID Connect provider, the default one first."""
        default = OidcProvider(
            "default",
            self.oidc_issuer,
            self.oidc_client_id,
            self.oidc_client_secret,
            self.oidc_name,
        )
        return ((default,) if self.oidc_issuer else ()) + self.oidc_extra

    def site_name_in(self, code: str) -> str:
        """The configured site name for a language ("" when none is configured)."""
        return dict(self.site_name_by_language).get(code) or self.site_name

    def site_tagline_in(self, code: str) -> str:
        return dict(self.site_tagline_by_language).get(code) or self.site_tagline

    @property
    def registration_open(self) -> bool:
        return self.registration == "open"

    @property
    def cookies_secure(self) -> bool:
        if self.secure_cookies == "auto":
            return self.base_url.startswith("https://")
        return self.secure_cookies == "true"

    @property
    def origins(self) -> frozenset[str]:
        """Origins trusted for cookie-authenticated changes and WebSocket handshakes."""
        return frozenset((self.base_url.rstrip("/"), *self.allowed_origins))

    @property
    def site_host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"

    @property
    def sender(self) -> str:
        """The From address of outgoing mail."""
        return self.mail_from or f"forum@{self.site_host}"

    @property
    def message_domain(self) -> str:
        """The right-hand side of Message-IDs and of reply addresses."""
        return self.mail_domain or self.site_host

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(
    environ: Mapping[str, str] | None = None, *, existing: bool = False, **overrides: Any
) -> Settings:
    """Build Settings from FORUM_ variables; `overrides` win (used by tests and the CLI).
    With `existing`, a SQLite database that is not there yet is an error (NoDatabase)
    instead of a new, empty one: nothing is created, not even the data folder."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.env, setting.default)
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise SettingsError(f"{setting.env}={raw!r}: {exc}") from None
    values.update(overrides)
    data_dir = Path(values["data_dir"]).expanduser().resolve()
    values["data_dir"] = data_dir
    if not values["database_url"]:
        values["database_url"] = f"sqlite+aiosqlite:///{data_dir / 'forum.db'}"
    if existing:
        check_sqlite_file(values["database_url"], data_dir)
    if not values["secret_key"] and existing and not (data_dir / "secret_key").exists():
        # Commands that work on an existing database sign nothing that outlives them:
        # a key of their own, rather than a new data folder wherever they were run.
        values["secret_key"] = secrets.token_urlsafe(48)
    elif not values["secret_key"]:
        values["secret_key"] = stored_secret_key(data_dir)
    check_secret_key(values["secret_key"])
    values["base_url"] = str(values["base_url"]).rstrip("/")
    if not values["base_url"]:
        # Until `serve` says where it listens (forum_server.web.server.serving_at).
        values["base_url"], values["base_url_given"] = DEFAULT_BASE_URL, False
    for key in ("site_name", "site_tagline"):
        values.setdefault(f"{key}_by_language", _per_language(f"FORUM_{key.upper()}_", env))
    if "oidc_extra" not in overrides:
        values["oidc_extra"] = _oidc_extra(values["oidc_providers"], env)
    _check_oidc(values)
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known})


def _per_language(prefix: str, env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """PREFIX + each language code (FORUM_SITE_NAME_FR, ...) that is set."""
    codes = ("ar", "zh", "en", "fr", "ru", "es")
    return tuple(
        (code, text) for code in codes if (text := env.get(prefix + code.upper(), "").strip())
    )


_OIDC_KEYS = ("issuer", "client_id", "client_secret", "label")


def _oidc_extra(names: tuple[str, ...], env: Mapping[str, str]) -> tuple[OidcProvider, ...]:
    """FORUM_OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _LABEL for each named provider."""
    providers = []
    for name in names:
        prefix = f"FORUM_OIDC_{name.upper()}_"
        get = {key: env.get(prefix + key.upper(), "").strip() for key in _OIDC_KEYS}
        providers.append(OidcProvider(name=name, **{**get, "label": get["label"] or name}))
    return tuple(providers)


def _check_oidc(values: dict[str, Any]) -> None:
    if values["oidc_issuer"] and not values["oidc_client_id"]:
        raise SettingsError("FORUM_OIDC_CLIENT_ID is needed with FORUM_OIDC_ISSUER")
    for provider in values["oidc_extra"]:
        for key in ("issuer", "client_id"):
            if not getattr(provider, key):
                raise SettingsError(f"FORUM_OIDC_{provider.name.upper()}_{key.upper()} is not set")


def settings_table_markdown() -> str:
    """The configuration table as the README shows it (a test keeps them equal)."""
    lines = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "(empty)"
        lines.append(f"| `{setting.env}` | {default} | {setting.help} |")
    return "\n".join(lines)
