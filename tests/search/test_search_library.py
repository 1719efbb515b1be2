"""Library documents are found by their title, description, file name and the words of
their file (PDF, Word, OpenDocument), by those who may read the space's library only;
posts by the names of their files, under the post's own rule. Every change to a
document — a new version, its removal — is in the index at once."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select, update

from forum_server.errors import Invalid
from forum_server.files import extract
from forum_server.files.attachments import create_post_with_files
from forum_server.files.ingest import Received, ReceivedFile
from forum_server.files.models import Upload
from forum_server.files.storage import file_store
from forum_server.moderation import posts as moderation
from forum_server.rooms.schemas import PostCreate
from forum_server.search.rebuild import reindex
from tests.helpers import sign_in
from tests.search.conftest import Forum, api_search, headers_for
from tests.search.library import Library, docx, odt, pdf

# Words found only in the workspace's library: each would betray it.
TITLE_WORD, DESCRIPTION_WORD, PDF_WORD, DOCX_WORD = (
    "vexnortal",
    "glimmorath",
    "plonquivar",
    "draskelion",
)
LIBRARY_WORDS = (TITLE_WORD, DESCRIPTION_WORD, PDF_WORD, DOCX_WORD)
OUTSIDERS = ["guest", "outsider", "removed", "other_mod"]
INSIDERS = ["member", "suspended", "ws_mod", "session_mod", "sec"]
PROBES: list[tuple[str, dict[str, str]]] = [
    *((word, {}) for word in LIBRARY_WORDS),
    ("VEXNORTAL", {}),
    (f'"{PDF_WORD} treaty annex"', {}),
    ("plonqui*", {}),
    (f"nothingatall OR {DOCX_WORD}", {}),
    (f"{TITLE_WORD} -biosafety", {}),
    ("", {"type": "documents"}),
    ("type:documents", {}),
    ("", {"in": "workspace", "type": "documents"}),
    ("", {"by": "Xanthippe", "type": "documents"}),
    ("", {"lang": "fr"}),
    ("confidential-annex.pdf", {}),
]


@pytest.fixture
def shelf(forum: Forum, settings) -> Library:
    return Library(forum.db, file_store(settings))


@pytest.fixture
async def documents(forum: Forum, shelf: Library) -> dict[str, int]:
    """The workspace's two documents, and one in the public forum."""
    member = forum.actor("member")
    return {
        "pdf": await shelf.add(
            member,
            "workspace",
            pdf(f"The {PDF_WORD} treaty annex", "Restricted to the working group."),
            "confidential-annex.pdf",
            title=f"{TITLE_WORD.title()} charter",
            description=f"Notes on the {DESCRIPTION_WORD} clauses.",
            language="fr",
        ),
        "docx": await shelf.add(
            member,
            "workspace",
            docx(f"Minutes: {DOCX_WORD} reviewed."),
            "minutes.docx",
            title="Minutes",
        ),
        "public": await shelf.add(
            forum.actor("public_mod"),
            "open-forum",
            odt("Biosafety guidance for national focal points."),
            "guidance.odt",
            title="Public guidance",
        ),
    }


def _spaces(hits) -> set[str]:
    return {hit.space_slug for hit in hits}


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_outsiders_find_nothing_of_a_members_library(
    forum: Forum, documents: dict[str, int], who: str
) -> None:
    for q, fields in PROBES:
        for order in ("newest", "relevance"):
            hits = await forum.find(who, q, order=order, **fields)
            assert "workspace" not in _spaces(hits), (who, q, fields, order)
    assert {h.id for h in await forum.find(who, "", type="documents")} == {documents["public"]}


@pytest.mark.parametrize("who", INSIDERS)
async def test_readers_of_the_library_find_its_documents(
    forum: Forum, documents: dict[str, int], who: str
) -> None:
    for word in (TITLE_WORD, DESCRIPTION_WORD, PDF_WORD):
        [hit] = await forum.find(who, word)
        assert (hit.kind, hit.id, hit.space_slug) == ("document", documents["pdf"], "workspace")
        assert hit.url == f"/documents/{documents['pdf']}"
        assert hit.document is not None and hit.document.title == "Vexnortal charter"
        assert hit.document.type_label == "PDF" and hit.session_id is None
        assert any(seg.match and seg.text.lower() == word for seg in hit.snippet), hit.snippet
    [hit] = await forum.find(who, DOCX_WORD)
    assert hit.id == documents["docx"] and hit.author == "Xanthippe Vorloq"
    assert [h.id for h in await forum.find(who, "confidential-annex.pdf")] == [documents["pdf"]]
    assert [h.id for h in await forum.find(who, f'"{PDF_WORD} treaty annex"')] == [documents["pdf"]]
    assert [h.id for h in await forum.find(who, "", lang="fr", type="documents")] == [
        documents["pdf"]
    ]


async def test_the_type_filter_chooses_discussions_or_documents(
    forum: Forum, documents: dict[str, int]
) -> None:
    await forum.post("writer", forum.public, "Biosafety guidance was shared.")
    # The words of an OpenDocument text file.
    [odt_hit] = await forum.find("guest", '"national focal points"')
    assert odt_hit.id == documents["public"] and odt_hit.document is not None
    assert odt_hit.document.type_label == "ODT"
    both = {h.kind for h in await forum.find("guest", "guidance")}
    assert both == {"post", "document"}
    assert {h.kind for h in await forum.find("guest", "guidance", type="posts")} == {"post"}
    assert {h.kind for h in await forum.find("guest", "guidance type:document")} == {"document"}
    assert {h.kind for h in await forum.find("guest", "", type="posts")} <= {
        "post",
        "topic",
        "question",
        "session",
        "summary",
    }
    with pytest.raises(Invalid) as refused:
        await forum.find("guest", "guidance", type="images")
    assert refused.value.field == "type"


async def test_a_new_version_and_a_removal_are_in_the_index_at_once(
    forum: Forum, shelf: Library, documents: dict[str, int]
) -> None:
    member, document_id = forum.actor("member"), documents["docx"]
    await shelf.new_version(member, document_id, pdf("Revised: zentharic wording."), "v2.pdf")
    assert [h.id for h in await forum.find("member", "zentharic")] == [document_id]
    assert not await forum.find("member", DOCX_WORD)  # the earlier version's words
    assert [h.id for h in await forum.find("member", "v2.pdf")] == [document_id]
    await shelf.remove(forum.actor("ws_mod"), document_id)
    for who in [*INSIDERS, *OUTSIDERS]:
        assert not await forum.find(who, "zentharic"), who
        assert document_id not in {h.id for h in await forum.find(who, "", type="documents")}


async def test_a_file_whose_words_cannot_be_read_is_still_added(
    forum: Forum, shelf: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = await shelf.add(
        forum.actor("member"),
        "workspace",
        b"%PDF-1.4\nnot a real pdf",
        "broken.pdf",
        title="Quorvantic memo",
    )
    assert [h.id for h in await forum.find("member", "quorvantic")] == [broken]
    monkeypatch.setattr(extract, "SECONDS", 0.001)  # reading takes longer than that
    slow = await shelf.add(
        forum.actor("member"), "workspace", pdf("Tessaril words."), "slow.pdf", title="Slow"
    )
    assert [h.id for h in await forum.find("member", "slow")] == [slow]
    assert not await forum.find("member", "tessaril")


async def test_a_documents_text_is_kept_to_a_bounded_length(forum: Forum, shelf: Library) -> None:
    words = " ".join(f"filler{i}" for i in range(extract.MAX_CHARS // 6))
    document_id = await shelf.add(
        forum.actor("member"),
        "workspace",
        f"opening {words} trailingword".encode(),
        "long.txt",
        title="Long",
    )
    async with forum.db.read() as session:
        text = await session.scalar(select(Upload.extracted_text).where(Upload.size > 100_000))
    assert text is not None and len(text) <= extract.MAX_CHARS
    assert [h.id for h in await forum.find("member", "opening")] == [document_id]
    assert not await forum.find("member", "trailingword")


async def test_posts_are_found_by_their_files_names_under_the_posts_rule(
    forum: Forum, shelf: Library
) -> None:
    incoming = shelf.store.incoming()
    incoming.write(pdf("Attachment body."))
    posted = await create_post_with_files(
        forum.db,
        shelf.store,
        forum.actor("writer"),
        forum.public.thread_id,
        PostCreate(body="Our country's contribution."),
        [],
        received=Received({}, [ReceivedFile(incoming, "kelvarine-submission.pdf")]),
    )
    post_id = posted.post.id
    for who in ("guest", "outsider", "public_mod"):
        [hit] = await forum.find(who, "kelvarine")
        assert (hit.kind, hit.id) == ("post", post_id), who
        assert any(seg.match for seg in hit.snippet)
    await moderation.hide_post(forum.db, forum.actor("public_mod"), post_id, "Off topic.")
    assert not await forum.find("guest", "kelvarine")
    assert not await forum.find("writer", "kelvarine")
    assert [h.id for h in await forum.find("public_mod", "kelvarine")] == [post_id]
    await moderation.restore_post(forum.db, forum.actor("public_mod"), post_id)
    assert [h.id for h in await forum.find("guest", "kelvarine")] == [post_id]
    # Files in the workspace's threads stay in it.
    incoming = shelf.store.incoming()
    incoming.write(pdf("x"))
    await create_post_with_files(
        forum.db,
        shelf.store,
        forum.actor("member"),
        forum.members.thread_id,
        PostCreate(body="Attached."),
        [],
        received=Received({}, [ReceivedFile(incoming, "morvathine-notes.pdf")]),
    )
    for who in OUTSIDERS:
        assert not await forum.find(who, "morvathine"), who
    assert len(await forum.find("member", "morvathine")) == 1


@pytest.mark.parametrize("who", ["guest", "removed", "other_mod"])
async def test_the_api_tells_outsiders_nothing_of_the_library(
    client, forum: Forum, documents: dict[str, int], who: str
) -> None:
    headers = await headers_for(client, forum, who)
    for q, fields in PROBES:
        items = await api_search(client, headers, q=q, **fields)
        assert all(item["space"]["slug"] != "workspace" for item in items), (q, fields)
    response = await client.get(
        "/api/v1/search", params={"q": PDF_WORD, "limit": "1"}, headers=headers
    )
    assert response.json() == {"items": [], "next": None}


async def test_the_api_shows_a_document(client, forum: Forum, documents: dict[str, int]) -> None:
    headers = await headers_for(client, forum, "member")
    [item] = await api_search(client, headers, q=PDF_WORD, type="documents")
    assert item["kind"] == "document" and item["id"] == documents["pdf"]
    assert item["url"] == f"/documents/{documents['pdf']}"
    assert item["session"] is None and item["space"]["slug"] == "workspace"
    assert item["document"] == {
        "title": "Vexnortal charter",
        "file_name": "confidential-annex.pdf",
        "media_type": "application/pdf",
    }
    assert item["author"] == "Xanthippe Vorloq"
    assert any(s["match"] and s["text"].lower() == PDF_WORD for s in item["snippet"])
    refused = await client.get("/api/v1/search", params={"q": "x", "type": "images"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "type"


async def test_reindex_reads_the_files_never_read(
    forum: Forum, shelf: Library, documents: dict[str, int], settings
) -> None:
    # As for a document added before search read files.
    async with forum.db.write() as uow:
        await uow.session.execute(update(Upload).values(extracted_text=None))
    await reindex(settings.database_url)
    assert not await forum.find("member", PDF_WORD)
    assert [h.id for h in await forum.find("member", TITLE_WORD)] == [documents["pdf"]]
    await reindex(settings.database_url, shelf.store)
    assert [h.id for h in await forum.find("member", PDF_WORD)] == [documents["pdf"]]
    assert [h.id for h in await forum.find("member", DOCX_WORD)] == [documents["docx"]]
    for who in OUTSIDERS:
        assert not await forum.find(who, PDF_WORD), who


async def test_the_search_page_shows_documents_without_javascript(
    client, forum: Forum, documents: dict[str, int]
) -> None:
    guest = await client.get("/search", params={"q": PDF_WORD, "type": "documents"})
    assert guest.status_code == 200 and f"/documents/{documents['pdf']}" not in guest.text
    assert '<option value="documents" selected>' in guest.text
    async with httpx.AsyncClient(
        transport=client._transport, base_url=str(client.base_url)
    ) as member:
        await sign_in(member, forum.users["member"])
        page = await member.get("/search", params={"q": PDF_WORD, "type": "documents"})
        discussions = await member.get("/search", params={"q": PDF_WORD, "type": "posts"})
    assert page.status_code == 200
    [result] = re.findall(r'<li class="card">(.*?)</li>', page.text, re.S)
    assert f'<a href="/documents/{documents["pdf"]}">Vexnortal charter</a>' in result
    assert '<span class="badge">PDF</span>' in result
    assert f"<mark>{PDF_WORD}</mark>" in result and "Xanthippe Vorloq" in result
    assert "<time datetime=" in result and 'href="/spaces/workspace/library"' in result
    assert '<li class="card">' not in discussions.text
