"""Tables for people and how they prove who they are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased: one address, one account, however it is typed.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    display_name: Mapped[str] = mapped_column(String(80))
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    region: Mapped[str | None] = mapped_column(String(16), nullable=True)
    organization: Mapped[str | None] = mapped_column(String(200), nullable=True)
    affiliation: Mapped[str | None] = mapped_column(String(32), nullable=True)
    gender: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # How this person may be cited in reports (named | country | none); a report uses
    # the most private of this, the space's setting and the download's request.
    # (The database's default only: rows written as they were before this column
    # existed still get it.)
    attribution_choice: Mapped[str] = mapped_column(String(16), server_default="named")
    is_secretariat: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the address was shown to be this person's: the account made by the secretariat,
    # an invitation sent to it accepted, or a confirmation link sent to it opened. Only
    # then may a single sign-on identity giving this address be linked to the account.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The interface language chosen in the profile (one of the six; None: the browser's),
    # and the time zone times are shown in where no script converts them (None: UTC).
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Moves each time every sign-in of the account is ended (a password change, a reset,
    # deactivation, a site-wide suspension). Reply-by-mail addresses carry it: those
    # handed out before stop working, like the sign-ins.
    # A database default only: inserts written against older schemas need not know it.
    sign_in_generation: Mapped[int] = mapped_column(Integer, server_default="0")
    # Moves when the person resets their personal calendar and feed addresses: the
    # addresses carry it, so those handed out before stop working.
    feed_key_generation: Mapped[int] = mapped_column(Integer, server_default="0")


class OidcIdentity(Base):
    """An account at an OpenID provider, linked to one of ours. Keyed by the issuer and
    its subject, never by e-mail: addresses change hands; (iss, sub) never does."""

    __tablename__ = "oidc_identities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The address the provider gave when the link was made (for the record, not a key).
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("issuer", "subject"),)


class LoginSession(Base):
    """A browser sign-in. The cookie holds a random token; we keep only its hash,
    so a leaked database cannot be replayed and sign-out can end it for good."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="api")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class LoginFailure(Base):
    """Failed sign-ins, counted per client address and per account to slow guessing.
    Kept in the database so every server process counts the same."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)
