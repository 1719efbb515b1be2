"""Frozen views of terms, acceptances and attribution choices, for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict

from forum_server.i18n import N_, gettext
from forum_server.reports.model import ATTRIBUTION_LABELS

# How a person may be cited, in the person's own words (catalogue entries).
CHOICE_LABELS: dict[str, str] = {
    "named": N_("By name, with my country and organization"),
    "country": N_("By my country only (“A participant from Brazil”)"),
    "none": N_("Not at all (“A participant”)"),
}


class TermsVersionJson(TypedDict):
    version: int
    body: str
    html: str
    created_at: str


@dataclass(frozen=True)
class TermsVersionView:
    version: int
    body: str
    html: str
    created_at: datetime

    def as_json(self) -> TermsVersionJson:
        return {
            "version": self.version,
            "body": self.body,
            "html": self.html,
            "created_at": self.created_at.isoformat(),
        }


class ConsentJson(TypedDict):
    space: str
    attribution: str
    terms: TermsVersionJson | None
    accepted_version: int | None
    accepted_at: str | None
    must_accept: bool


@dataclass(frozen=True)
class ConsentView:
    """What a space asks of a contributor: its attribution setting, its current terms
    (None: none set) and where the caller stands with them."""

    space: str
    attribution: str
    terms: TermsVersionView | None
    accepted_version: int | None  # the latest version the caller accepted
    accepted_at: datetime | None
    title: str = ""  # the space's, for pages

    @property
    def must_accept(self) -> bool:
        return self.terms is not None and self.accepted_version != self.terms.version

    @property
    def attribution_label(self) -> str:
        return gettext(ATTRIBUTION_LABELS.get(self.attribution, ATTRIBUTION_LABELS["none"]))

    @property
    def version(self) -> int | None:
        return self.terms.version if self.terms is not None else None

    def as_json(self) -> ConsentJson:
        return {
            "space": self.space,
            "attribution": self.attribution,
            "terms": self.terms.as_json() if self.terms is not None else None,
            "accepted_version": self.accepted_version,
            "accepted_at": self.accepted_at.isoformat() if self.accepted_at else None,
            "must_accept": self.must_accept,
        }


class AcceptanceJson(TypedDict):
    user_id: int
    display_name: str
    version: int
    accepted_at: str


@dataclass(frozen=True)
class AcceptanceView:
    user_id: int
    display_name: str
    version: int
    accepted_at: datetime

    def as_json(self) -> AcceptanceJson:
        return {
            "user_id": self.user_id,
            "display_name": self.display_name,
            "version": self.version,
            "accepted_at": self.accepted_at.isoformat(),
        }


class AttributionChoiceJson(TypedDict):
    attribution: str
    label: str


@dataclass(frozen=True)
class AttributionChoiceView:
    attribution: str

    @property
    def label(self) -> str:
        return gettext(CHOICE_LABELS[self.attribution])

    def as_json(self) -> AttributionChoiceJson:
        return {"attribution": self.attribution, "label": self.label}
