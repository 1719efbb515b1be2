"""What the register and notifications accept, field by field, from forms, the API
and CSV import alike."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import EmailStr, Field, field_validator
from typing_extensions import TypedDict

from forum_server.accounts.countries import REGIONS, normalize_country
from forum_server.i18n import N_
from forum_server.i18n.languages import CODES
from forum_server.schemas import Id, Input, Problem, Timestamp
from forum_server.text import clean_line

MAX_BODY = 20_000
MAX_DOCUMENTS = 10
# The kinds of things a notification can point at (see focal.targets).
TARGET_KINDS = ("session", "call")


def _optional_line(value: str, max_length: int) -> str:
    return clean_line(value, max_length=max_length) if value else ""


class FocalPointCreate(Input):
    country: str = Field(max_length=2)
    name: str = Field(max_length=80)
    title: str = Field(default="", max_length=200)
    organization: str = Field(default="", max_length=200)
    email: EmailStr = Field(max_length=254)
    language: str | None = Field(default=None, max_length=8)
    primary: bool = False

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return normalize_country(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean_line(value, max_length=80)

    @field_validator("title", "organization")
    @classmethod
    def _line(cls, value: str) -> str:
        return _optional_line(value, 200)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return value.lower()

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value and value not in CODES:
            raise ValueError(N_("must be one of the site's languages"))
        return value or None


class FocalPointUpdate(FocalPointCreate):
    """A whole entry, as the form sends it (the API's PUT)."""


def _regions(value: list[str]) -> list[str]:
    if set(value) - set(REGIONS):
        raise ValueError(N_("names a region that does not exist"))
    return sorted(set(value))


class NotificationCreate(Input):
    subject: str = Field(max_length=200)
    body: str = Field(min_length=1, max_length=MAX_BODY)
    # Empty: every focal point; else those of these UN regional groups.
    regions: list[str] = Field(default_factory=list, max_length=len(REGIONS))
    target_kind: str | None = Field(default=None, max_length=16)
    target_id: Id | None = None
    documents: list[Id] = Field(default_factory=list, max_length=MAX_DOCUMENTS)
    remind_at: Timestamp | None = None

    _regions = field_validator("regions")(_regions)

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str) -> str:
        return clean_line(value, max_length=200)

    @field_validator("target_kind")
    @classmethod
    def _kind(cls, value: str | None) -> str | None:
        if value and value not in TARGET_KINDS:
            raise Problem(N_("must be one of: %(kinds)s"), kinds=", ".join(TARGET_KINDS))
        return value or None


class FocalImport(Input):
    """A register in CSV: columns country, name, email and optionally title,
    organization, language, primary (yes for the country's primary)."""

    csv: str = Field(min_length=1, max_length=1_000_000)


class ImportedJson(TypedDict):
    imported: int


@dataclass(frozen=True)
class Imported:
    imported: int

    def as_json(self) -> ImportedJson:
        return {"imported": self.imported}
