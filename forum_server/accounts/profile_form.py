"""The profile form, as the registration, profile, invitation and single sign-on
pages share it: its choices, and the submitted fields a model takes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from forum_server.accounts.countries import REGION_NAMES, country_choices
from forum_server.accounts.schemas import AFFILIATION_LABELS, GENDER_LABELS, labels
from forum_server.i18n import LANGUAGES, time_zone_names


def profile_choices() -> dict[str, Any]:
    """The lists the profile fields choose from, in the reader's language, for the
    template (languages each in its own words, time zones by their IANA names)."""
    return {
        "countries": country_choices(),
        "affiliations": labels(AFFILIATION_LABELS),
        "genders": labels(GENDER_LABELS),
        "regions": labels(REGION_NAMES),
        "interface_languages": {code: entry.native_name for code, entry in LANGUAGES.items()},
        "time_zones": [(zone, zone) for zone in time_zone_names()],
    }


def form_input(form: dict[str, str], model: type[BaseModel]) -> dict[str, Any]:
    """The submitted fields the model takes. A blank optional field counts as not
    given; a blank required one stays, for the model to say what is wrong. Fields
    the page does not offer (`is_secretariat`, say) are dropped, never refused."""
    fields = model.model_fields
    return {
        key: value
        for key, value in form.items()
        if key in fields and (value != "" or fields[key].is_required())
    }
