"""The search index's table: one row per searchable text, with what the access clause
and the result list need, so a search reads no other table to decide or to show.

Each engine indexes the `terms` column its own way (forum_server.search.engine): an
FTS5 table kept in step by triggers on SQLite, a generated tsvector column with a GIN
index on PostgreSQL. Neither is part of this model: they are created by the migration.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime
from forum_server.rooms.state import PUBLISHED

# What a document is the text of: texts of a session, and a space's library documents.
POST, TOPIC, QUESTION, SESSION, SUMMARY = "post", "topic", "question", "session", "summary"
DOCUMENT = "document"
# A public submission to a call for submissions (a restricted one has no row).
SUBMISSION = "submission"
KINDS = (POST, TOPIC, QUESTION, SESSION, SUMMARY, DOCUMENT, SUBMISSION)


class SearchDocument(Base):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int] = mapped_column(Integer)  # the post's, thread's, document's… id
    # The session a text was written in; None for a library document, which belongs to
    # a space (space_id) instead.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), nullable=True, index=True
    )
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # The thread the text belongs to (a guiding question's, for its question and its
    # summary): None for a session's own texts.
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), nullable=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # A post's status (published, pending, hidden, rejected); published for the rest (a
    # removed library document has no row).
    status: Mapped[str] = mapped_column(String(16), default=PUBLISHED)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)  # plain text, for snippets
    terms: Mapped[str] = mapped_column(Text)  # folded text, what the engines index

    __table_args__ = (
        UniqueConstraint("kind", "ref_id"),
        Index("ix_search_documents_thread_id", "thread_id"),
    )
