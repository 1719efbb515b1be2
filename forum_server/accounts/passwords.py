"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from forum_server.errors import Invalid
from forum_server.i18n import N_

MIN_LENGTH = 10
MAX_LENGTH = 256

# A few of the most used passwords that pass the length rule; the length rule does
# most of the work, this list catches the embarrassing remainder.
_COMMON = {
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "password123",
    "password1234",
    "passwordpassword",
    "iloveyou123",
    "1q2w3e4r5t",
    "qwerty12345",
    "abcdefghij",
    "letmein123",
    "welcome123",
    "administrator",
}

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher (tests use cheap parameters; production keeps the defaults)."""
    global _hasher
    _hasher = hasher


def check_new_password(password: str, *, email: str | None = None, field: str = "password") -> None:
    """Raises Invalid, naming `field`, when a new password is not acceptable."""
    problem: str | None = None
    if len(password) < MIN_LENGTH:
        problem = N_("The password must be at least %(min)s characters.")
    elif len(password) > MAX_LENGTH:
        problem = N_("The password must be at most %(max)s characters.")
    elif password.lower() in _COMMON or len(set(password)) < 4:
        problem = N_("The password is too easy to guess.")
    elif email and password.lower() in {email.lower(), email.split("@")[0].lower()}:
        problem = N_("The password must not be your e-mail address.")
    if problem:
        raise Invalid(problem, field=field, params={"min": MIN_LENGTH, "max": MAX_LENGTH})


async def hash_password(password: str) -> str:
    # argon2 takes tens of milliseconds of CPU on purpose: keep it off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not there is a hash, so timing does not reveal accounts."""
    target = password_hash or _DUMMY_HASH.value()
    try:
        ok = await asyncio.to_thread(_hasher.verify, target, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


class _DummyHash:
    """A hash of nothing, made lazily with the current hasher, to verify against for
    unknown e-mail addresses."""

    def __init__(self) -> None:
        self._value: str | None = None
        self._made_with: PasswordHasher | None = None

    def value(self) -> str:
        if self._value is None or self._made_with is not _hasher:
            self._value = _hasher.hash("no account has this password")
            self._made_with = _hasher
        return self._value


_DUMMY_HASH = _DummyHash()
