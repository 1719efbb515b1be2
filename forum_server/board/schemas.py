"""What the board's forms and API accept: one common format for every kind of notice,
checked field by field (dates in order, ISO countries and currencies, web links only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import pycountry
from pydantic import BeforeValidator, Field, Strict, ValidationInfo, field_validator

from forum_server.accounts.countries import REGIONS, normalize_country
from forum_server.i18n import N_
from forum_server.rooms.schemas import PostLanguage
from forum_server.schemas import EARLIEST_YEAR, LATEST_YEAR, Input, Problem

KINDS: tuple[str, ...] = ("announcement", "project", "opportunity", "need")
CATEGORIES: tuple[str, ...] = ("training", "funding", "fellowship")
STATUSES: tuple[str, ...] = ("planned", "open", "ongoing", "closed")

Kind = Literal["announcement", "project", "opportunity", "need"]
Category = Literal["", "training", "funding", "fellowship"]
Status = Literal["planned", "open", "ongoing", "closed"]
Region = Literal["", "africa", "asia_pacific", "cee", "grulac", "weog"]

MAX_COUNTRIES = 60
MAX_AMOUNT = 10**15
assert set(REGIONS) == {"africa", "asia_pacific", "cee", "grulac", "weog"}


def _blank_is_none(value: Any) -> Any:
    """A form sends an empty box as ""; it means "not given"."""
    return None if value == "" else value


def iso_country(raw: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; refused in the reader's language."""
    try:
        return normalize_country(raw)
    except ValueError:
        raise Problem(
            N_("unknown country code '%(code)s': use an ISO 3166-1 alpha-2 code such as 'BR'"),
            code=raw.strip().upper()[:10],
        ) from None


def _in_years(value: date | None) -> date | None:
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise Problem(
            N_("must be between the years %(earliest)s and %(latest)s"),
            earliest=EARLIEST_YEAR,
            latest=LATEST_YEAR,
        )
    return value


# Dates arrive as "2026-03-01" in JSON and forms alike.
Day = Annotated[Annotated[date, Strict(False)] | None, BeforeValidator(_blank_is_none)]


class NoticeInput(Input):
    kind: Kind
    category: Category = Field(default="", validate_default=True)
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=4000)
    countries: list[str] = Field(default_factory=list, max_length=MAX_COUNTRIES)
    region: Region = ""
    organization: str = Field(default="", max_length=200)
    start_date: Day = None
    end_date: Day = None
    expires_on: Day = None
    funding: str = Field(default="", max_length=200)
    amount: Annotated[int | None, BeforeValidator(_blank_is_none)] = Field(
        default=None, ge=0, le=MAX_AMOUNT
    )
    currency: str = Field(default="", max_length=3, validate_default=True)
    contact: str = Field(default="", max_length=200)
    link: str = Field(default="", max_length=500)
    status: Status = "open"
    language: PostLanguage
    pinned: bool = False

    @field_validator("category")
    @classmethod
    def _category_of_opportunities(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind == "opportunity" and not value:
            raise ValueError(
                N_("an opportunity must say whether it is training, funding or a fellowship")
            )
        if kind is not None and kind != "opportunity" and value:
            raise ValueError(N_("only opportunities have a category"))
        return value

    @field_validator("countries")
    @classmethod
    def _iso_countries(cls, value: list[str]) -> list[str]:
        codes: list[str] = []
        for raw in value:
            code = iso_country(raw)
            if code not in codes:
                codes.append(code)
        return codes

    @field_validator("start_date", "expires_on")
    @classmethod
    def _years(cls, value: date | None) -> date | None:
        return _in_years(value)

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        _in_years(value)
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise ValueError(N_("must not be before the start date"))
        return value

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str, info: ValidationInfo) -> str:
        code = value.upper()
        if code and pycountry.currencies.get(alpha_3=code) is None:
            raise Problem(
                N_("unknown currency '%(code)s': use an ISO 4217 code such as 'USD'"), code=code
            )
        if info.data.get("amount") is not None and not code:
            raise ValueError(N_("say the currency of the amount, e.g. USD"))
        return code

    @field_validator("link")
    @classmethod
    def _web_link(cls, value: str) -> str:
        if not value:
            return value
        parts = urlsplit(value)
        if (
            parts.scheme.lower() not in {"http", "https"}
            or not parts.netloc
            or any(c.isspace() for c in value)
        ):
            raise ValueError(N_("must be a web address starting with http:// or https://"))
        return value


class EditorAdd(Input):
    user_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


class NoticeReview(Input):
    decision: Literal["approve", "reject"]


class NoticePin(Input):
    pinned: bool


Choice = BeforeValidator(_blank_is_none)


class NoticeFilter(Input):
    """The listing's filters, from a query string; every one optional."""

    kind: Annotated[Kind | None, Choice] = None
    category: Annotated[Literal["training", "funding", "fellowship"] | None, Choice] = None
    country: Annotated[str | None, Choice] = Field(default=None, max_length=10)
    region: Annotated[Literal["africa", "asia_pacific", "cee", "grulac", "weog"] | None, Choice] = (
        None
    )
    status: Annotated[Status | None, Choice] = None
    language: Annotated[PostLanguage | None, Choice] = None
    # Notices whose dates reach into this period.
    start: Day = None
    end: Day = None
    # Expired notices are left out unless asked for.
    expired: Literal["", "include", "only"] = ""

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return iso_country(value)


FILTER_FIELDS = tuple(NoticeFilter.model_fields)
