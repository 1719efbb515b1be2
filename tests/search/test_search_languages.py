"""Searching in the six languages: accents, Arabic vowel marks and letter forms, case,
and Chinese, written without spaces, all find what a reader would call the same word;
the snippet highlights the text as it was written."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from forum_server.rooms.models import Post
from forum_server.search.index import index_post
from tests.search.conftest import Forum

FRENCH = "Le développement des capacités nationales en biosécurité reste prioritaire."
ARABIC = "تعزيز القُدُرات الوطنيّة في مجال السلامة الأحيائية أولوية"
CHINESE = "生物安全能力建设是各国的优先事项。"
RUSSIAN = "Национальная система биобезопасности и её развитие; ёмкость лабораторий."
SPANISH = "La evaluación del riesgo y la participación pública."


def _matched(hit) -> list[str]:
    return [segment.text for segment in hit.snippet if segment.match]


@pytest.fixture
async def texts(forum: Forum) -> Forum:
    for body in (FRENCH, ARABIC, CHINESE, RUSSIAN, SPANISH):
        await forum.post("writer", forum.public, body)
    return forum


@pytest.mark.parametrize(
    ("q", "expected", "marked"),
    [
        ("developpement", FRENCH, ["développement"]),
        ("DÉVELOPPEMENT", FRENCH, ["développement"]),
        ("développement", FRENCH, ["développement"]),
        ("capacites nationales", FRENCH, ["capacités nationales"]),  # side by side: one
        ('"capacités nationales"', FRENCH, ["capacités nationales"]),
        ("biosecu*", FRENCH, ["biosécurité"]),
        # Arabic: with and without harakat and shadda, alef with or without hamza
        ("القدرات", ARABIC, ["القُدُرات"]),
        ("القُدُرات", ARABIC, ["القُدُرات"]),
        ("الوطنية", ARABIC, ["الوطنيّة"]),
        ("الاحيائية", ARABIC, ["الأحيائية"]),
        ("السَّلامة", ARABIC, ["السلامة"]),
        # Chinese: words of one, two and four characters, found inside the sentence
        ("生物安全", CHINESE, ["生物安全"]),
        ("能力", CHINESE, ["能力"]),
        ("建设", CHINESE, ["建设"]),
        ("国", CHINESE, ["国的"]),  # one character: highlighted with the one after it
        ('"能力建设"', CHINESE, ["能力建设"]),
        ("优先*", CHINESE, ["优先"]),
        # Russian: case, and ё written as е
        ("БИОБЕЗОПАСНОСТИ", RUSSIAN, ["биобезопасности"]),
        ("емкость", RUSSIAN, ["ёмкость"]),
        ("её", RUSSIAN, ["её"]),
        ("Национальн*", RUSSIAN, ["Национальная"]),
        ("evaluacion publica", SPANISH, ["evaluación", "pública"]),
    ],
)
async def test_words_are_found_however_they_are_written(
    texts: Forum, q: str, expected: str, marked: list[str]
) -> None:
    hits = await texts.find("guest", q)
    assert [h.snippet and "".join(s.text for s in h.snippet) for h in hits] == [expected], q
    assert _matched(hits[0]) == marked


@pytest.mark.parametrize(
    "q", ["建设能力", '"安全生物"', "développements", "القدرة", "биобезопасность"]
)
async def test_other_words_are_not_found(texts: Forum, q: str) -> None:
    assert await texts.find("guest", q) == []


async def test_a_posts_language_filters_and_on_postgresql_stems(forum: Forum) -> None:
    english = await forum.post("writer", forum.public, "Two assessments of the risks involved.")
    french = await forum.post("writer", forum.public, "Les évaluations des risques.")
    async with forum.db.write() as uow:
        for post_id, lang in ((english, "en"), (french, "fr")):
            await uow.session.execute(update(Post).where(Post.id == post_id).values(lang=lang))
            post = await uow.session.get(Post, post_id)
            assert post is not None
            await uow.session.refresh(post)
            await index_post(uow, post)
    assert [h.id for h in await forum.find("guest", "risks", lang="en")] == [english]
    assert [h.id for h in await forum.find("guest", "risques lang:fr")] == [french]
    assert await forum.find("guest", "risks", lang="fr") == []
    if forum.db.is_sqlite:
        return
    # PostgreSQL stems each post in its own language: other forms of the words match.
    assert [h.id for h in await forum.find("guest", "assessment risk")] == [english]
    assert [h.id for h in await forum.find("guest", "evaluation risque")] == [french]
    [hit] = await forum.find("guest", "assessment")
    assert _matched(hit) == ["assessments"]
