"""Shared web plumbing. Importing it bounds `{name:int}` path parameters to valid ids
before any route module builds its routes."""

from forum_server.web import routing as _routing  # noqa: F401
