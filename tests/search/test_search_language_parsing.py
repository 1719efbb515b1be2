"""The search language, parsed: what each piece of a query becomes, and what reaches
each engine (only quoted words)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from forum_server.errors import Invalid
from forum_server.search.query import Filters, Query, Term, fts5_match, parse, tsquery_term
from forum_server.search.snippets import matched_ranges, snippet
from forum_server.search.text import fold, fold_with_origins, plain_text


def terms(query: Query) -> list[list[tuple[tuple[str, ...], bool]]]:
    return [[(t.words, t.prefix) for t in group] for group in query.groups]


def test_words_phrases_exclusions_and_alternatives() -> None:
    query = parse('Biosafety "risk assessment" -draft capacity OR training detect*')
    assert terms(query) == [
        [(("biosafety",), False)],
        [(("risk", "assessment"), False)],
        [(("capacity",), False), (("training",), False)],
        [(("detect",), True)],
    ]
    assert query.excluded == (Term(("draft",)),)
    assert fts5_match(query) == (
        '(("biosafety") AND ("risk assessment") AND ("capacity" OR "training") '
        'AND ("detect"*)) NOT "draft"'
    )
    assert [tsquery_term(t) for t in query.terms()] == [
        "'biosafety'",
        "'risk' <-> 'assessment'",
        "'capacity'",
        "'training'",
        "'detect':*",
    ]


def test_filters_typed_and_given_as_fields() -> None:
    query = parse(
        'water in:online-forum by:"Maria G" question:2 lang:FR after:2026-03-01',
        {"before": "2026-04-01", "in": "12"},
    )
    assert terms(query) == [[(("water",), False)]]
    assert query.filters == Filters(
        space_or_session="12",  # the field wins over what was typed
        author="Maria G",
        question=2,
        lang="fr",
        after=datetime(2026, 3, 1, tzinfo=UTC),
        before=datetime(2026, 4, 1, tzinfo=UTC),
    )
    assert parse("", {"by": "Ana"}).filters.author == "Ana"
    assert parse("").empty and parse("  ").empty and parse('"" * -').empty


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"unbalanced words', [[(("unbalanced",), False)], [(("words",), False)]]),
        ("e-mail", [[(("e", "mail"), False)]]),
        ("NEAR(a, b)", [[(("near", "a"), False)], [(("b",), False)]]),
        ("terms:x", [[(("terms", "x"), False)]]),
        ("^x* y", [[(("x",), False)], [(("y",), False)]]),  # one letter: no prefix
        ("OR a OR", [[(("a",), False)]]),
        ("a OR -b", [[(("a",), False)]]),
        ("生物安全*", [[(("生物", "物安", "安全"), True)]]),  # Chinese: pairs of characters
        ("国", [[(("国",), True)]]),  # one character: the pairs it begins
        ("生dna", [[(("生", "dna"), False)]]),
        ('"quoted*"', [[(("quoted",), False)]]),  # a star in a phrase is a character
    ],
)
def test_anything_typed_becomes_words(q: str, expected: list) -> None:
    assert terms(parse(q)) == expected


@pytest.mark.parametrize(
    ("q", "fields", "field"),
    [
        ("x" * 201, {}, "q"),
        (" ".join(["w"] * 21), {}, "q"),
        ("-only -excluded", {}, "q"),
        ("a", {"question": "two"}, "question"),
        ("a", {"lang": "de"}, "lang"),
        ("a after:2026-02-30", {}, "after"),
        ("a", {"before": "1969-12-31"}, "before"),
        ("a", {"by": "x" * 201}, "by"),
    ],
)
def test_what_is_refused_names_its_field(q: str, fields: dict, field: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse(q, fields)
    assert refused.value.field == field


def test_folding_is_what_both_engines_see() -> None:
    assert fold("Développement DURABLE") == "developpement durable"
    assert fold("مُحَمَّد أحمد") == "محمد احمد"
    assert fold("Ёлка и йод") == "елка и йод"
    assert fold("生物安全DNA").split() == ["生物", "物安", "安全", "全", "dna"]
    assert fold("l'eau, 3.5% <b>") == "l eau  3 5   b "
    assert set(fold("[x] 'y' \"z\" *w* ^v: (u) {t} -s")) <= set("xyzwvuts ")


def test_plain_text_leaves_markdown_out() -> None:
    source = (
        "# A *heading* #\n> quoted **bold**, _em_ and snake_case\n"
        '- [a link](https://example.org/x "t") and ![a picture](p.png)\n'
        "```\ncode()\n```\n1. one &amp; two `code` <https://example.org>"
    )
    assert plain_text(source) == (
        "A heading\nquoted bold, em and snake_case\na link and a picture\ncode()\n"
        "one & two code https://example.org"
    )


def test_snippets_mark_the_plain_text_the_engine_marked() -> None:
    text = "Le développement des capacités: 生物安全 est prioritaire."
    marked = fold(text).replace("developpement", "[developpement]")
    marked = marked.replace(" 生物 ", " [生物] ")  # the pair of characters matched
    ranges = matched_ranges(text, marked)
    assert [text[a:b] for a, b in ranges] == ["développement", "生物"]
    segments = snippet(text, ranges)
    assert [(s.text, s.match) for s in segments][:4] == [
        ("Le ", False),
        ("développement", True),
        (" des capacités: ", False),
        ("生物", True),
    ]
    assert matched_ranges(text, "[not] this text") == []  # a mismatch marks nothing


def test_a_long_text_is_cut_around_the_first_match() -> None:
    text = "word " * 100 + "needle " + "tail " * 100
    ranges = matched_ranges(text, fold(text).replace("needle", "[needle]"))
    segments = snippet(text, ranges)
    assert segments[0].text == "… " and segments[-1].text == " …"
    assert [s.text for s in segments if s.match] == ["needle"]
    assert sum(len(s.text) for s in segments) < 300


@pytest.mark.parametrize(
    "source",
    [
        " " * 19_999 + "x",
        "[" * 20_000,
        "![" * 10_000,
        "[a](" * 5_000,
        "<http:" * 3_000,
        "|" + "-|" * 9_999,
        "- - - " * 3_000 + "x",
        "# " + " " * 19_990 + "#x",
        "\n" * 20_000,
        ">\n" * 10_000,
        "**a" * 6_000,
    ],
)
def test_hostile_markdown_is_made_plain_in_linear_time(source: str) -> None:
    """Inside the write transaction, on the longest post allowed: no pattern may try
    every position of a long run (one did: 12 seconds for 20,000 spaces)."""
    started = time.perf_counter()
    fold_with_origins(plain_text(source))
    assert time.perf_counter() - started < 1.0
