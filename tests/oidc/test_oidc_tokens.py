"""The relying party's checks without a provider: ID tokens signed here with a key of
our own, discovery documents, the flow cookie and the provider configuration."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet, OctKey, RSAKey

from forum_server.accounts.oidc import seal, unseal
from forum_server.accounts.oidc_checks import OidcError, ProviderMetadata, verify_id_token
from forum_server.settings import SettingsError, load_settings

ISSUER = "https://idp.example.org"
CLIENT = "forum"
NONCE = "n-0S6_WzA2Mj"


@pytest.fixture(scope="module")
def signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1"})


@pytest.fixture(scope="module")
def public_keys(signing_key: RSAKey) -> KeySet:
    return KeySet.import_key_set(KeySet([signing_key]).as_dict(private=False))


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": CLIENT,
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        "email": "jane@example.org",
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def sign(key: Any, payload: dict[str, Any], alg: str = "RS256", kid: str | None = "k1") -> str:
    header = {"alg": alg, **({"kid": kid} if kid else {})}
    return jwt.encode(header, payload, key, algorithms=[alg])


def verify(token: str, keys: KeySet, **overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "issuer": ISSUER,
        "client_id": CLIENT,
        "nonce": NONCE,
        "algorithms": ("RS256",),
    }
    options.update(overrides)
    return verify_id_token(token, keys, **options)


def test_a_good_id_token_passes(signing_key, public_keys):
    token = sign(signing_key, claims(aud=[CLIENT]))
    assert verify(token, public_keys)["sub"] == "248289761001"


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"iss": "https://idp.example.org/"}, "iss differs by a slash"),
        ({"iss": "https://evil.example"}, "another issuer"),
        ({"iss": None}, "no issuer"),
        ({"aud": "someone-else"}, "another audience"),
        ({"aud": [CLIENT, "someone-else"], "azp": CLIENT}, "an extra audience"),
        ({"aud": None}, "no audience"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"exp": None}, "no expiry"),
        ({"iat": int(time.time()) + 3600}, "issued in the future"),
        ({"iat": None}, "no issue time"),
        ({"nonce": None}, "no nonce"),
        ({"nonce": "another"}, "another nonce"),
        ({"sub": None}, "no subject"),
        ({"azp": "someone-else"}, "authorized for another party"),
    ],
)
def test_id_tokens_failing_a_check_are_refused(signing_key, public_keys, changes, why):
    token = sign(signing_key, claims(**changes))
    with pytest.raises(JoseError):
        verify(token, public_keys)


def test_a_token_signed_with_another_key_is_refused(public_keys):
    impostor = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    with pytest.raises(JoseError):
        verify(sign(impostor, claims()), public_keys)


def test_an_unknown_key_id_asks_for_the_keys_again(signing_key, public_keys):
    with pytest.raises(InvalidKeyIdError):
        verify(sign(signing_key, claims(), kid="rotated"), public_keys)


def test_symmetric_and_unsigned_tokens_are_refused(public_keys):
    secret = OctKey.import_key("the-client-secret-is-not-a-signing-key")
    hs256 = sign(secret, claims(), alg="HS256", kid=None)
    with pytest.raises(JoseError):
        verify(hs256, public_keys)
    with pytest.raises(JoseError):  # even if the provider claims to use it
        verify(hs256, public_keys, algorithms=("HS256",))
    header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    payload = sign(secret, claims(), alg="HS256", kid=None).split(".")[1]
    with pytest.raises(JoseError):
        verify(f"{header}.{payload}.", public_keys, algorithms=("none", "RS256"))


def test_the_discovery_document_must_name_the_configured_issuer():
    document = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/auth",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
    }
    assert ProviderMetadata.from_document(document, ISSUER).token_endpoint == f"{ISSUER}/token"
    for configured in (ISSUER + "/", "https://other.example.org"):
        with pytest.raises(OidcError) as refused:
            ProviderMetadata.from_document(document, configured)
        assert refused.value.code == "wrong_issuer"
    insecure = {**document, "token_endpoint": "http://idp.example.org/token"}
    with pytest.raises(OidcError):
        ProviderMetadata.from_document(insecure, ISSUER)


def test_sealed_flows_resist_tampering_and_age():
    value = seal("key", "flow", {"state": "abc"})
    assert unseal("key", "flow", value, 600) == {"state": "abc"}
    assert unseal("other-key", "flow", value, 600) is None
    assert unseal("key", "signup", value, 600) is None  # one purpose cannot pass as another
    assert unseal("key", "flow", value[:-2] + "xx", 600) is None
    assert unseal("key", "flow", value, -1) is None
    assert unseal("key", "flow", None, 600) is None


def test_further_providers_come_from_their_own_variables(tmp_path: Path):
    environ = {
        "FORUM_DATA_DIR": str(tmp_path),
        "FORUM_OIDC_ISSUER": "https://login.example.org",
        "FORUM_OIDC_CLIENT_ID": "forum",
        "FORUM_OIDC_NAME": "Example ID",
        "FORUM_OIDC_PROVIDERS": "Partner, unep",
        "FORUM_OIDC_PARTNER_ISSUER": "https://id.partner.org",
        "FORUM_OIDC_PARTNER_CLIENT_ID": "p",
        "FORUM_OIDC_PARTNER_CLIENT_SECRET": "s",
        "FORUM_OIDC_PARTNER_LABEL": "Partner Agency",
        "FORUM_OIDC_UNEP_ISSUER": "https://id.unep.org",
        "FORUM_OIDC_UNEP_CLIENT_ID": "u",
    }
    providers = load_settings(environ=environ).sign_in_providers
    assert [(p.name, p.label, p.client_secret) for p in providers] == [
        ("default", "Example ID", ""),
        ("partner", "Partner Agency", "s"),
        ("unep", "unep", ""),
    ]
    assert providers[0].is_default and not providers[1].is_default


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"FORUM_OIDC_PROVIDERS": "default"}, "FORUM_OIDC_PROVIDERS"),
        ({"FORUM_OIDC_PROVIDERS": "two words"}, "FORUM_OIDC_PROVIDERS"),
        ({"FORUM_OIDC_PROVIDERS": "a,a"}, "FORUM_OIDC_PROVIDERS"),
        ({"FORUM_OIDC_PROVIDERS": "partner"}, "FORUM_OIDC_PARTNER_ISSUER"),
        ({"FORUM_OIDC_ISSUER": "https://login.example.org"}, "FORUM_OIDC_CLIENT_ID"),
    ],
)
def test_incomplete_provider_settings_are_refused(tmp_path: Path, changes, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(environ={"FORUM_DATA_DIR": str(tmp_path), **changes})


async def test_without_providers_there_is_no_single_sign_on(client):
    assert "/auth/oidc/" not in (await client.get("/login")).text
    assert (await client.get("/auth/oidc/login")).status_code == 404
    assert (await client.get("/auth/oidc/callback?code=x&state=y")).status_code == 404
