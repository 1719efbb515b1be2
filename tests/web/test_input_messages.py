"""What is wrong with an input, in words and in the reader's language: pydantic's
refusals in our own words (with its numbers), and our validators' messages, which
are catalogue entries translated where they are shown."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from forum_server.errors import Invalid
from forum_server.i18n import using_language
from forum_server.schemas import (
    Id,
    Input,
    Timestamp,
    aware_utc,
    invalid_from,
    problem_text,
    validate,
)
from forum_server.text import clean_line
from forum_server.times import utc_time
from forum_server.web.forms import validate_form


class Sample(Input):
    name: str = Field(default="", min_length=3, max_length=5)
    count: Annotated[int, Field(ge=1, le=10)] = 1
    colour: Literal["red", "green"] = "red"
    tags: list[str] = Field(default_factory=list, max_length=2)
    when: Timestamp | None = None
    ref: Id | None = None
    title: str = "ok"

    _when = field_validator("when")(aware_utc)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return clean_line(value, max_length=4)


def message(data: dict[str, Any], model: type[BaseModel] = Sample) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return invalid_from(caught.value).message


@pytest.mark.parametrize(
    ("data", "english", "french"),
    [
        (
            {"extra": 1},
            "extra: is not a field this call accepts",
            "extra : n'est pas un champ accepté par cet appel",
        ),
        (
            {"name": "ab"},
            "name: must be at least 3 characters",
            "name : doit comporter au moins 3 caractères",
        ),
        (
            {"name": "abcdef"},
            "name: must be at most 5 characters",
            "name : ne doit pas dépasser 5 caractères",
        ),
        ({"count": 0}, "count: must be at least 1", "count : doit être au moins égal à 1"),
        ({"count": 11}, "count: must be at most 10", "count : doit être au plus égal à 10"),
        ({"count": "3"}, "count: must be a whole number", "count : doit être un nombre entier"),
        (
            {"colour": "blue"},
            "colour: must be one of: 'red', 'green'",
            "colour : doit être l'une des valeurs suivantes : 'red', 'green'",
        ),
        (
            {"tags": ["a", "b", "c"]},
            "tags: must have at most 2 items",
            "tags : doit contenir au plus 2 éléments",
        ),
        (
            {"when": "soon"},
            "when: must be a date and time such as 2026-03-01T09:00:00+00:00",
            "when : doit être une date et une heure comme 2026-03-01T09:00:00+00:00",
        ),
        (
            {"when": "2026-03-01T09:00"},
            "when: must include a time zone offset, e.g. 2026-03-01T09:00:00+00:00",
            "when : doit indiquer un décalage horaire, par exemple 2026-03-01T09:00:00+00:00",
        ),
        (
            {"when": "1900-01-01T00:00:00+00:00"},
            "when: must be between the years 1970 and 9998",
            "when : doit être comprise entre les années 1970 et 9998",
        ),
        (
            {"ref": 2**31},
            "ref: must be at most 2147483647",
            "ref : doit être au plus égal à 2147483647",
        ),
        ({"title": "  "}, "title: must not be empty", "title : ne doit pas être vide"),
        (
            {"title": "a\u202eb"},
            "title: must not contain invisible or direction-changing characters",
            "title : ne doit pas contenir de caractères invisibles ou modifiant le sens d'écriture",
        ),
    ],
)
def test_each_refusal_in_our_words(data: dict[str, Any], english: str, french: str) -> None:
    assert message(data) == english
    with using_language("fr"):
        assert message(data) == french


class Required(Input):
    name: str


def test_a_missing_field_and_numbers_that_agree() -> None:
    assert message({}, Required) == "name: is required"
    with using_language("ar"):
        assert message({}, Required) == "name: مطلوب"
        assert message({"title": "abcdef"}) == "title: يجب ألا يتجاوز 4 أحرف"
    with using_language("ru"):
        assert message({"name": "abcdef"}) == "name: должно содержать не более 5 символов"


def test_the_message_follows_the_language_it_is_shown_in() -> None:
    """An error made in one language and shown in another speaks the second."""
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"name": "abcdef"})
    error = invalid_from(caught.value)
    with using_language("es"):
        assert error.message == "name: no debe superar 5 caracteres"
    with using_language("zh"):
        assert error.message == "name：不得超过5个字符"
    assert error.as_dict()["field"] == "name" and error.code == "invalid"


def test_form_errors_are_sentences_in_the_readers_language() -> None:
    with using_language("fr"):
        _, errors = validate_form(Sample, {"name": "ab", "colour": "blue"})
        assert errors == {
            "name": "Doit comporter au moins 3 caractères.",
            "colour": "Doit être l'une des valeurs suivantes : 'red', 'green'.",
        }
        _, missing = validate_form(Required, {})
        assert missing == {"name": "Ce champ est obligatoire."}
    with using_language("zh"):
        _, errors = validate_form(Sample, {"count": 0})
        assert errors == {"count": "不得小于 1。"}


def test_times_typed_into_forms() -> None:
    assert utc_time("2026-03-01T09:00") == datetime.fromisoformat("2026-03-01T09:00+00:00")
    with pytest.raises(ValueError) as bad:
        utc_time("tomorrow")
    with using_language("fr"):
        assert problem_text(bad.value) == (
            "Indiquez une date et une heure comme 2026-03-01T09:00 (UTC)."
        )
    with pytest.raises(ValueError) as early:
        utc_time("1900-01-01T00:00")
    with using_language("ru"):
        assert problem_text(early.value) == "Время должно быть в пределах 1970–9998 годов."
    assert str(early.value) == "The time must be between the years 1970 and 9998."


def test_validate_raises_our_error() -> None:
    with pytest.raises(Invalid) as caught:
        validate(Required, {"name": 3})
    assert caught.value.field == "name" and caught.value.message == "name: must be text"
