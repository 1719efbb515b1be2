"""How the audit log's entries read on its page, in the reader's language.

The log stores machine names (`post.hidden`, target `post` 12) and, for a refusal,
the English message of the error: the record is the same whoever caused it and
whoever reads it. The page turns them into words here; the API and the CSV export
keep the stored values.
"""

from __future__ import annotations

from forum_server.i18n import N_, gettext
from forum_server.moderation.auditlog import AuditRow

REFUSED = "refused"

ACTION_LABELS: dict[str, str] = {
    "post.approved": N_("Post approved"),
    "post.rejected": N_("Post rejected"),
    "post.hidden": N_("Post hidden"),
    "post.restored": N_("Post restored"),
    "post.highlighted": N_("Post highlighted for the report"),
    "post.unhighlighted": N_("Highlight removed"),
    "post.flagged": N_("Post flagged"),
    "post.edited": N_("Post edited"),
    "flag.dismissed": N_("Flag dismissed"),
    "thread.locked": N_("Thread locked"),
    "thread.unlocked": N_("Thread unlocked"),
    "summary.updated": N_("Summary updated"),
    "space.holding_changed": N_("Review and posting limits changed"),
    "space.report_settings_changed": N_("Report settings changed"),
    "session.moderators_changed": N_("Session moderators changed"),
    "session.updated": N_("Session changed"),
    "session.expectation_set": N_("Expected participation set"),
    "session.reminder_sent": N_("Reminder sent to those who had not taken part"),
    "session.opened": N_("Session opened"),
    "session.closed": N_("Session closed"),
    "session.reopened": N_("Session re-opened"),
    "session.reopening_scheduled": N_("Re-opening scheduled"),
    "session.reopening_cancelled": N_("Scheduled re-opening cancelled"),
    "question.added": N_("Guiding question added"),
    "question.edited": N_("Guiding question corrected"),
    "space.updated": N_("Space title or description changed"),
    "webhook.added": N_("Webhook added"),
    "webhook.changed": N_("Webhook changed"),
    "webhook.removed": N_("Webhook removed"),
    "user.suspended": N_("Participant suspended"),
    "user.suspension_lifted": N_("Suspension lifted"),
    "user.deactivated": N_("Account deactivated"),
    "user.reactivated": N_("Account reactivated"),
    "user.created": N_("Account made"),
    "user.sign_in_reset": N_("Sign-in reset"),
    "member.added": N_("Member added"),
    "member.changed": N_("Member's role changed"),
    "member.removed": N_("Member removed"),
    "invitation.created": N_("Invitation sent"),
    "invitation.revoked": N_("Invitation revoked"),
    "invitation.accepted": N_("Invitation accepted"),
    "focal_point.added": N_("Focal point added"),
    "focal_point.changed": N_("Focal point changed"),
    "focal_point.removed": N_("Focal point removed"),
    "focal_notification.sent": N_("Notification sent to focal points"),
    "focal_notification.reminded": N_("Focal points reminded"),
    "focal_link.used": N_("Focal point's link used"),
    REFUSED: N_("Refused"),
}

# A refusal, by the action that was attempted (`details.attempted`).
REFUSAL_LABELS: dict[str, str] = {
    "post.approve": N_("Refused: approve a post"),
    "post.reject": N_("Refused: reject a post"),
    "post.hide": N_("Refused: hide a post"),
    "post.restore": N_("Refused: restore a post"),
    "post.highlight": N_("Refused: highlight a post"),
    "post.unhighlight": N_("Refused: remove a highlight"),
    "thread.lock": N_("Refused: lock a thread"),
    "thread.unlock": N_("Refused: unlock a thread"),
    "flag.dismiss": N_("Refused: dismiss a flag"),
    "summary.write": N_("Refused: write a summary"),
    "space.holding_change": N_("Refused: change review and posting limits"),
    "user.suspend": N_("Refused: suspend a participant"),
    "user.lift": N_("Refused: lift a suspension"),
    "user.deactivate": N_("Refused: deactivate an account"),
    "user.reactivate": N_("Refused: reactivate an account"),
    "user.reset_sign_in": N_("Refused: reset a sign-in"),
}

TARGET_LABELS: dict[str, str] = {
    "post": N_("Post %(id)s"),
    "thread": N_("Thread %(id)s"),
    "question": N_("Question %(id)s"),
    "session": N_("Session %(id)s"),
    "space": N_("Space %(id)s"),
    "user": N_("Account %(id)s"),
    "member": N_("Member %(id)s"),
    "invitation": N_("Invitation %(id)s"),
    "flag": N_("Flag %(id)s"),
    "suspension": N_("Suspension %(id)s"),
    "focal_point": N_("Focal point %(id)s"),
    "focal_notification": N_("Notification %(id)s"),
}


def action_label(action: str) -> str:
    """An action's name for people (the stored name for one this table does not know)."""
    label = ACTION_LABELS.get(action)
    return gettext(label) if label else action


def row_action(row: AuditRow) -> str:
    """What the row records; for a refusal, what was refused."""
    attempted = row.details.get("attempted") if row.action == REFUSED else None
    if isinstance(attempted, str):
        label = REFUSAL_LABELS.get(attempted)
        return gettext(label) if label else f"{action_label(REFUSED)} ({attempted})"
    return action_label(row.action)


def row_target(row: AuditRow) -> str:
    label = TARGET_LABELS.get(row.target_type)
    if row.target_id is None:
        return gettext("The space") if row.target_type == "space" else row.target_type
    return gettext(label, id=row.target_id) if label else f"{row.target_type} {row.target_id}"


def row_reason(row: AuditRow) -> str:
    """The reason as written, or for a refusal the refusal's message (stored in English,
    a catalogue entry) in the reader's language."""
    if row.reason and row.action == REFUSED:
        return gettext(row.reason)
    return row.reason or ""
