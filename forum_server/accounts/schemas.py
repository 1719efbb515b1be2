"""Validated input for account changes."""

from __future__ import annotations

from typing import Literal

from pydantic import EmailStr, Field, field_validator

from forum_server.accounts.countries import normalize_country
from forum_server.i18n import CODES, N_, is_time_zone
from forum_server.i18n import gettext as _
from forum_server.schemas import Input
from forum_server.text import clean_line

# Longest accepted: RFC 5321's path limit, and far beyond any passphrase.
MAX_EMAIL_CHARS = 254
MAX_PASSWORD_CHARS = 1024

Affiliation = Literal["party", "other_government", "igo", "ngo", "industry", "academia", "other"]
Gender = Literal["female", "male", "other", "prefer_not_to_say"]

# English, as catalogue entries: translated where they are shown (labels()).
AFFILIATION_LABELS: dict[str, str] = {
    "party": N_("Party to the Protocol"),
    "other_government": N_("Other government"),
    "igo": N_("Intergovernmental organization"),
    "ngo": N_("Non-governmental organization"),
    "industry": N_("Industry"),
    "academia": N_("Academia or research"),
    "other": N_("Other"),
}
GENDER_LABELS: dict[str, str] = {
    "female": N_("Female"),
    "male": N_("Male"),
    "other": N_("Other"),
    "prefer_not_to_say": N_("Prefer not to say"),
}


def labels(table: dict[str, str]) -> dict[str, str]:
    """One of the tables above in the reader's language, in the same order."""
    return {key: _(label) for key, label in table.items()}


def _one_of_the_languages() -> str:
    return _("must be one of %(codes)s", codes=", ".join(CODES))


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


class AccountCreate(ProfileFields):
    """An account the secretariat makes: no password (its owner chooses one by a link)."""

    email: EmailStr = Field(max_length=MAX_EMAIL_CHARS)
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
            raise ValueError(_one_of_the_languages())
        return value or None

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str | None) -> str | None:
        if value and not is_time_zone(value):
            raise ValueError(_("must be a time zone such as Europe/Paris or UTC"))
        return value or None


class LanguageChoice(Input):
    """The footer's language switcher."""

    lang: str = Field(max_length=8)

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        if value not in CODES:
            raise ValueError(_one_of_the_languages())
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
