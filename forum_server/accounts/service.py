"""The write path for accounts: creating people, signing them in, editing profiles.

The commands (create_user, update_profile, change_password) each open their own
transaction; add_user is the body that invitations and single sign-on compose."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict

from forum_server.accounts import credentials, email_confirmation, throttle
from forum_server.accounts.countries import region_for
from forum_server.accounts.models import User
from forum_server.accounts.passwords import check_new_password, hash_password, verify_password
from forum_server.accounts.queries import (
    UserJson,
    UserView,
    find_user_by_email,
    normalize_email,
    user_id_by_email,
)
from forum_server.accounts.schemas import (
    MAX_EMAIL_CHARS,
    MAX_PASSWORD_CHARS,
    AccountCreate,
    LanguageChoice,
    PasswordChange,
    ProfileUpdate,
    TokenCreate,
    UserCreate,
)
from forum_server.accounts.standing import standing_of
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid, NotFound, Unauthorized
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_create_user,
    check_may_sign_in,
    require_signed_in,
)
from forum_server.settings import Settings


async def create_user(
    db: Database,
    actor: Actor,
    data: UserCreate,
    *,
    registration_open: bool,
    confirmation: Settings | None = None,
) -> UserView:
    """Creates an account. Someone registering themselves is sent a link confirming
    their address, made with the `confirmation` settings (the routes pass them; the
    command line makes confirmed accounts). Raises Forbidden/Unauthorized, Invalid
    (password) or Conflict `email_taken`."""
    check_may_create_user(
        actor, registration_open=registration_open, as_secretariat=data.is_secretariat
    )
    async with db.write() as uow:
        # The secretariat vouches for the addresses of the accounts it makes.
        user = await add_user(
            uow,
            data.email,
            data.password,
            data,
            is_secretariat=data.is_secretariat,
            email_verified=actor.is_secretariat,
        )
        if confirmation is not None and not user.email_verified:
            # Queued with the account: sent once it exists, never for a rolled-back one.
            await email_confirmation.prepare_link(uow, confirmation, user.id)
    return user


async def add_user(
    uow: UnitOfWork,
    email: str,
    password: str | None,
    profile: UserCreate | ProfileUpdate | AccountCreate,
    *,
    is_secretariat: bool = False,
    email_verified: bool = False,
) -> UserView:
    """Adds the account, its caller having decided that it may be made (create_user, an
    invitation, a single sign-on). Without a password it signs in through single
    sign-on only. `email_verified`: the address is known to be theirs (the secretariat
    or a provider vouches for it). Raises Invalid (password) or Conflict `email_taken`."""
    email = normalize_email(email)
    if password is not None:
        check_new_password(password, email=email)
    if await user_id_by_email(uow.session, email) is not None:
        raise Conflict("An account with this e-mail address exists.", code="email_taken")
    user = User(
        email=email,
        password_hash=await hash_password(password) if password is not None else None,
        display_name=profile.display_name,
        country=profile.country,
        region=region_for(profile.country),
        organization=profile.organization,
        affiliation=profile.affiliation,
        gender=profile.gender,
        is_secretariat=is_secretariat,
        email_verified_at=utcnow() if email_verified else None,
    )
    uow.session.add(user)
    try:
        await uow.flush()
    except IntegrityError:
        # Lost a race with another request for the same address.
        raise Conflict("An account with this e-mail address exists.", code="email_taken") from None
    return UserView.of(user)


async def authenticate(
    db: Database, email: str, password: str, *, client: str, max_failures: int
) -> UserView:
    """The user with these credentials. The same answer, after the same work, whether
    the address is unknown or the password wrong; repeated failures raise RateLimited.
    A deactivated or site-wide suspended account is refused (Forbidden) after the
    password was checked."""
    if len(email) > MAX_EMAIL_CHARS or len(password) > MAX_PASSWORD_CHARS:
        # Never right, and too long to key a throttling counter with.
        raise Unauthorized("E-mail address or password is wrong.", code="invalid_credentials")
    # Counted before the password is checked: guesses sent together cannot all pass.
    attempt = await throttle.begin_attempt(db, client, email, attempts=max_failures)
    async with db.read() as session:
        user = await find_user_by_email(session, email)
    password_hash = user.password_hash if user is not None else None
    if not await verify_password(password_hash, password) or user is None:
        raise Unauthorized("E-mail address or password is wrong.", code="invalid_credentials")
    async with db.read() as session:
        # Told only to whoever knows the password: deactivated, or suspended until when.
        check_may_sign_in(await standing_of(session, user))
    await throttle.succeeded(db, attempt)
    return UserView.of(user)


async def update_profile(db: Database, actor: Actor, data: ProfileUpdate) -> UserView:
    """Changes the signed-in user's own profile."""
    async with db.write() as uow:
        user = await _own_user(uow, actor)
        user.display_name = data.display_name
        user.country = data.country
        user.region = region_for(data.country)
        user.organization = data.organization
        user.affiliation = data.affiliation
        user.gender = data.gender
        user.language = data.language
        user.time_zone = data.time_zone
        await uow.flush()
        return UserView.of(user)


async def set_interface_language(db: Database, actor: Actor, choice: LanguageChoice) -> None:
    """The language picked from the footer becomes a signed-in reader's preference, so
    it follows them to every browser (and to their e-mail)."""
    if not actor.signed_in:
        return
    async with db.write() as uow:
        user = await _own_user(uow, actor)
        user.language = choice.lang


async def change_password(db: Database, actor: Actor, data: PasswordChange) -> UserView:
    """Sets a new password and ends every sign-in and API token of the user, this
    sign-in included; the caller starts a fresh one."""
    async with db.write() as uow:
        user = await _own_user(uow, actor)
        if user.password_hash is None:
            raise Conflict(
                "This account has no password: it signs in through single sign-on.",
                code="no_password",
            )
        if not await verify_password(user.password_hash, data.current_password):
            raise Invalid("The current password is wrong.", field="current_password")
        check_new_password(data.new_password, email=user.email, field="new_password")
        user.password_hash = await hash_password(data.new_password)
        user.password_changed_at = utcnow()
        await credentials.end_all_login_sessions(uow, user.id)
        await credentials.revoke_all_api_tokens(uow, user.id)
        # Every process forgets these sign-ins and re-checks the live connections.
        uow.emit("user.signed_out", {"user_id": user.id})
        await uow.flush()
        return UserView.of(user)


async def _own_user(uow: UnitOfWork, actor: Actor) -> User:
    user = await uow.session.get(User, require_signed_in(actor))
    if user is None or not user.is_active:
        raise NotFound("No such user.")
    return user


class IssuedTokenJson(TypedDict):
    token: str
    user: UserJson


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once
    user: UserView

    def as_json(self) -> IssuedTokenJson:
        return {"token": self.token, "user": self.user.as_json()}


async def issue_api_token(
    db: Database, data: TokenCreate, *, client: str, max_failures: int
) -> IssuedToken:
    """An API token for whoever has these credentials (authenticate says who)."""
    user = await authenticate(
        db, data.email, data.password, client=client, max_failures=max_failures
    )
    async with db.write() as uow:
        token = await credentials.create_api_token(uow, user.id, data.name)
    return IssuedToken(token, user)


async def revoke_own_api_token(db: Database, actor: Actor, token: str | None) -> None:
    """Revokes the API token the actor signed this request with (`token`, None when
    they came with a browser's sign-in instead, which cannot revoke itself here)."""
    require_signed_in(actor)
    if not token:
        raise Unauthorized("Only a bearer token can revoke itself.", code="invalid_token")
    async with db.write() as uow:
        if (user_id := await credentials.revoke_api_token(uow, token)) is not None:
            # Every process re-checks this person's live connections at once.
            uow.emit("user.signed_out", {"user_id": user_id})


async def sign_out(db: Database, login_token: str) -> None:
    """Ends the browser sign-in with this token (nothing happens for an unknown one)."""
    async with db.write() as uow:
        if (user_id := await credentials.end_login_session(uow, login_token)) is not None:
            # Every process re-checks this person's live connections at once: the
            # browser's sockets end wherever they are connected.
            uow.emit("user.signed_out", {"user_id": user_id})
