"""Validated input for account changes."""

from __future__ import annotations

from typing import Literal

from pydantic import EmailStr, Field, field_validator

from forum_server.accounts.countries import normalize_country
from forum_server.i18n import CODES, is_time_zone
from forum_server.schemas import Input
from forum_server.text import clean_line

# Longest accepted: RFC 5321's path limit, and far beyond any passphrase.
MAX_EMAIL_CHARS = 254
MAX_PASSWORD_CHARS = 1024

Affiliation = Literal["party", "other_government", "igo", "ngo", "industry", "academia", "other"]
Gender = Literal["female", "male", "other", "prefer_not_to_say"]

AFFILIATION_LABELS: dict[str, str] = {
    "party": "Party to the Protocol",
    "other_government": "Other government",
    "igo": "Intergovernmental organization",
    "ngo": "Non-governmental organization",
    "industry": "Industry",
    "academia": "Academia or research",
    "other": "Other",
}
GENDER_LABELS: dict[str, str] = {
    "female": "Female",
    "male": "Male",
    "other": "Other",
    "prefer_not_to_say": "Prefer not to say",
}


class ProfileFields(Input):
    country: str | None = None
    organization: str | None = Field(default=None, max_length=200)
    affiliation: Affiliation | None = None
    gender: Gender | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return normalize_country(value) if value else None

    @field_validator("organization")
    @classmethod
    def _organization(cls, value: str | None) -> str | None:
        return clean_line(value, max_length=200) if value else None


def _display_name(value: str) -> str:
    return clean_line(value, max_length=80)


class UserCreate(ProfileFields):
    email: EmailStr = Field(max_length=MAX_EMAIL_CHARS)
    password: str
    display_name: str
    is_secretariat: bool = False

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return value.lower()

    _name = field_validator("display_name")(_display_name)


class ProfileUpdate(ProfileFields):
    display_name: str
    # None: follow the browser (language) or UTC (time zone).
    language: str | None = Field(default=None, max_length=8)
    time_zone: str | None = Field(default=None, max_length=64)

    _name = field_validator("display_name")(_display_name)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value and value not in CODES:
            raise ValueError(f"must be one of {', '.join(CODES)}")
        return value or None

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str | None) -> str | None:
        if value and not is_time_zone(value):
            raise ValueError("must be a time zone such as Europe/Paris or UTC")
        return value or None


class LanguageChoice(Input):
    """The footer's language switcher."""

    lang: str = Field(max_length=8)

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        if value not in CODES:
            raise ValueError(f"must be one of {', '.join(CODES)}")
        return value


class PasswordChange(Input):
    current_password: str
    new_password: str


class TokenCreate(Input):
    email: str = Field(max_length=MAX_EMAIL_CHARS)
    password: str = Field(max_length=MAX_PASSWORD_CHARS)
    name: str | None = Field(default=None, max_length=80)


class ConfirmationCreate(Input):
    """The token of the link that confirms an e-mail address."""

    token: str = Field(min_length=1, max_length=1000)
