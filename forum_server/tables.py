"""Every table, imported in one place so `Base.metadata` describes the whole schema
(for Alembic and for the test that compares migrations with the models)."""

from __future__ import annotations

from forum_server.accounts import models as accounts_models
from forum_server.audit import AuditEntry
from forum_server.board import models as board_models
from forum_server.calls import models as calls_models
from forum_server.consent import models as consent_models
from forum_server.decide import models as decide_models
from forum_server.events import EventRecord
from forum_server.files import models as files_models
from forum_server.focal import models as focal_models
from forum_server.mail import models as mail_models
from forum_server.moderation import models as moderation_models
from forum_server.notifications import models as notifications_models
from forum_server.orm import Base
from forum_server.participation import models as participation_models
from forum_server.rooms import models as rooms_models
from forum_server.rooms import reading as rooms_reading
from forum_server.search.models import SearchDocument
from forum_server.summaries import Summary, SummaryVersion
from forum_server.webhooks import models as webhooks_models

metadata = Base.metadata

__all__ = [
    "AuditEntry",
    "EventRecord",
    "SearchDocument",
    "Summary",
    "SummaryVersion",
    "accounts_models",
    "board_models",
    "calls_models",
    "consent_models",
    "decide_models",
    "files_models",
    "focal_models",
    "mail_models",
    "metadata",
    "moderation_models",
    "notifications_models",
    "participation_models",
    "rooms_models",
    "rooms_reading",
    "webhooks_models",
]
