"""The secretariat's hand on sign-in: making an account for someone, and resetting an
account's sign-in.

An account the secretariat makes has no password: its owner receives a link, valid
for a week, to choose one (or signs in through single sign-on where it is set up).
Resetting a sign-in ends every sign-in, API token, reply-by-mail address and live
connection of the account, forgets its password, and sends the same kind of link to
its address: for an account someone else may have got into.
"""

from __future__ import annotations

from forum_server import audit
from forum_server.accounts import credentials, password_reset, service
from forum_server.accounts.management import AccountView
from forum_server.accounts.models import User
from forum_server.accounts.schemas import AccountCreate
from forum_server.db import Database
from forum_server.errors import Conflict, NotFound
from forum_server.moderation.guard import refusals_audited
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_manage_accounts, check_may_reset_sign_in


async def create_account(
    db: Database, actor: Actor, secret_key: str, data: AccountCreate
) -> AccountView:
    """Makes the account (its address counts as confirmed: the secretariat vouches for
    it) and queues a link to choose a password. Conflict `email_taken`."""
    check_may_manage_accounts(actor)
    async with db.write() as uow:
        made = await service.add_user(
            uow,
            data.email,
            None,
            data,
            is_secretariat=data.is_secretariat,
            email_verified=True,
        )
        user = await uow.session.get(User, made.id)
        assert user is not None
        await password_reset.queue_link(uow, secret_key, user, sent_because="created")
        audit.record(
            uow,
            actor,
            "user.created",
            space_id=None,
            target_type="user",
            target_id=user.id,
            details={"email": user.email, "is_secretariat": user.is_secretariat},
        )
        return AccountView.of(user)


async def reset_sign_in(db: Database, actor: Actor, secret_key: str, user_id: int) -> AccountView:
    """Ends the account's sign-ins, tokens and live connections, forgets its password
    and sends a link to choose a new one. Conflict `account_deactivated` for a
    deactivated account (reactivate it first)."""
    async with (
        refusals_audited(db, actor, "user.reset_sign_in", "user", user_id),
        db.write() as uow,
    ):
        check_may_reset_sign_in(actor, user_id)
        user = await uow.session.get(User, user_id)
        if user is None:
            raise NotFound("No such user.")
        if not user.is_active:
            raise Conflict(
                "This account is deactivated; reactivate it first.", code="account_deactivated"
            )
        user.password_hash = None
        user.password_changed_at = utcnow()
        await credentials.end_all_login_sessions(uow, user.id)
        await credentials.revoke_all_api_tokens(uow, user.id)
        await password_reset.queue_link(uow, secret_key, user, sent_because="reset")
        audit.record(
            uow,
            actor,
            "user.sign_in_reset",
            space_id=None,
            target_type="user",
            target_id=user.id,
            details={"email": user.email},
        )
        # Every process's hub closes this user's live connections when it sees this.
        uow.emit("user.sign_in_reset", {"user_id": user.id})
        await uow.flush()
        return AccountView.of(user)
