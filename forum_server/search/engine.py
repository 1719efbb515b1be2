"""What each database engine adds to the search_documents table to search it.

SQLite: an FTS5 table over the `terms` column (external content: the text is stored
once, in search_documents), kept in step by triggers, so that a row written, changed
or deleted (by a foreign key's cascade too) changes the index in the same
transaction. PostgreSQL: a tsvector column generated from `terms` with the text
search configuration of the text's language, and a GIN index on it.

Neither is in the SQLAlchemy model, so the migration creates them, and comparisons
of the schema with the models leave them out (`engine_owned`). On SQLite, a later
migration that rebuilds search_documents in batch mode drops the triggers with the
old table: it must call `create_sqlite_triggers` again.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import Connection

FTS_TABLE = "search_fts"
VECTOR_COLUMN = "vector"
VECTOR_INDEX = "ix_search_documents_vector"
FTS_AUTOMERGE, FTS_CRISISMERGE = 16, 64

# A text's language (posts.lang) → PostgreSQL's text search configuration. Arabic,
# Chinese and texts of unknown language use `simple`: words as folded, unstemmed.
PG_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian"}
SIMPLE = "simple"
_LATIN = re.compile("[a-z\u00c0-\u024f]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def pg_configurations_for(words: str) -> list[str]:
    """The configurations a search asks its words in: those that could stem them (a
    Chinese or Arabic word is only itself), and `simple` for the word as written."""
    latin = [PG_CONFIGS[code] for code in ("en", "fr", "es")] if _LATIN.search(words) else []
    cyrillic = [PG_CONFIGS["ru"]] if _CYRILLIC.search(words) else []
    return [*latin, *cyrillic, SIMPLE]


_SQLITE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(terms, content='search_documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
_SQLITE_TRIGGERS = {
    "search_documents_ai": (
        "AFTER INSERT ON search_documents BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END"
    ),
    "search_documents_ad": (
        "AFTER DELETE ON search_documents BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) "
        "VALUES ('delete', old.id, old.terms); END"
    ),
    # A change of status or author only leaves the words where they are.
    "search_documents_au": (
        "AFTER UPDATE OF terms ON search_documents WHEN old.terms IS NOT new.terms BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) "
        "VALUES ('delete', old.id, old.terms); "
        f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END"
    ),
}


def pg_config_sql(column: str = "lang") -> str:
    """SQL choosing the text search configuration from a language column."""
    cases = " ".join(f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in PG_CONFIGS.items())
    return f"CASE {column} {cases} ELSE '{SIMPLE}'::regconfig END"


def create_sqlite_triggers(connection: Connection) -> None:
    for name, body in _SQLITE_TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_sqlite_triggers(connection: Connection) -> None:
    for name in _SQLITE_TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def create(connection: Connection) -> None:
    """Adds the engine's index to an existing search_documents table."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(_SQLITE_FTS)
        # FTS5 merges its segments a little with every write: 16 of a size before a
        # merge rather than 4, and no all-at-once merge before 64 (the default, 16, made
        # one post in hundreds rewrite the whole index: 0.7 s on 100,000 posts). On
        # 100,000 posts this took posting's share from 1.5 ms a post to 0.4 (bench).
        for option, value in (("automerge", FTS_AUTOMERGE), ("crisismerge", FTS_CRISISMERGE)):
            connection.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('{option}', {value})"
            )
        create_sqlite_triggers(connection)
    else:
        connection.exec_driver_sql(
            f"ALTER TABLE search_documents ADD COLUMN {VECTOR_COLUMN} tsvector "
            f"GENERATED ALWAYS AS (to_tsvector({pg_config_sql()}, terms)) STORED"
        )
        connection.exec_driver_sql(
            f"CREATE INDEX {VECTOR_INDEX} ON search_documents USING gin ({VECTOR_COLUMN})"
        )


def drop(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        drop_sqlite_triggers(connection)
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    else:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")
        connection.exec_driver_sql(
            f"ALTER TABLE search_documents DROP COLUMN IF EXISTS {VECTOR_COLUMN}"
        )


def engine_owned(name: str | None, type_: str, parent_table: str | None = None) -> bool:
    """Whether a schema object is one of these, which the models do not describe."""
    if type_ == "table":
        return bool(name and name.startswith(FTS_TABLE))
    if parent_table == "search_documents":
        return name in {VECTOR_COLUMN, VECTOR_INDEX}
    return False
