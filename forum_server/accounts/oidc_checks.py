"""What this site accepts from an OpenID Connect provider: its discovery document and
the ID tokens it signs. Pure checks: no HTTP, no cookies, no database."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from forum_server.i18n import N_, gettext

log = logging.getLogger(__name__)

# Never "none" and never an HMAC keyed with the client secret: only the provider's keys.
SIGNING_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
LEEWAY = 60  # seconds of clock skew allowed on exp/iat/nbf


class OidcError(Exception):
    """Sign-in with a provider did not complete. `message` is said to the person, in
    their language (`template` is the English catalogue entry, `params` fill its
    %(name)s placeholders); `code` is for logs and tests."""

    def __init__(
        self,
        template: str,
        *,
        code: str = "oidc_failed",
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.template = template
        self.params = dict(params or {})
        super().__init__(template % self.params if self.params else template)
        self.code = code

    @property
    def message(self) -> str:
        return gettext(self.template, **self.params)


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    id_token_algorithms: tuple[str, ...]
    token_auth_methods: tuple[str, ...]
    scopes: tuple[str, ...]
    iss_parameter: bool  # RFC 9207: the authorization response names its issuer

    @classmethod
    def from_document(cls, doc: Mapping[str, Any], issuer: str) -> ProviderMetadata:
        """Checks the discovery document: its `issuer` must be exactly the configured one."""
        if doc.get("issuer") != issuer:
            log.warning(
                "OIDC discovery for %r names issuer %r: refusing it", issuer, doc.get("issuer")
            )
            raise OidcError(
                N_(
                    "The sign-in service is not set up correctly here (its issuer does not "
                    "match). Please tell the secretariat."
                ),
                code="wrong_issuer",
            )
        endpoints: dict[str, str] = {}
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            value = doc.get(key)
            if not _is_http_url(value, secure=issuer.startswith("https://")):
                raise OidcError(
                    N_(
                        "The sign-in service's description is incomplete; please tell the "
                        "secretariat."
                    ),
                    code="bad_metadata",
                )
            endpoints[key] = str(value)
        userinfo = doc.get("userinfo_endpoint")
        return cls(
            issuer=issuer,
            authorization_endpoint=endpoints["authorization_endpoint"],
            token_endpoint=endpoints["token_endpoint"],
            jwks_uri=endpoints["jwks_uri"],
            userinfo_endpoint=userinfo if _is_http_url(userinfo) else None,
            id_token_algorithms=_strings(doc.get("id_token_signing_alg_values_supported"))
            or ("RS256",),
            token_auth_methods=_strings(doc.get("token_endpoint_auth_methods_supported"))
            or ("client_secret_basic",),
            scopes=_strings(doc.get("scopes_supported")),
            iss_parameter=doc.get("authorization_response_iss_parameter_supported") is True,
        )


# --- the ID token ----------------------------------------------------------------------


def verify_id_token(
    id_token: str,
    keys: KeySet,
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    algorithms: tuple[str, ...],
    access_token: str | None = None,
    now: int | None = None,
) -> dict[str, Any]:
    """The ID token's claims after every check: signature by one of the provider's keys
    with an allowed asymmetric algorithm; `iss` exactly the issuer; `aud` exactly this
    client; `exp`, `iat` (and `nbf`) in time; `nonce` the one this browser sent; `azp`
    and `at_hash` where present. Raises InvalidKeyIdError for an unknown key (the caller
    refetches the key set once) and JoseError for anything else."""
    allowed = [alg for alg in algorithms if alg in SIGNING_ALGORITHMS]
    if not allowed:
        raise JoseError("the provider offers no acceptable signing algorithm")
    token = jwt.decode(id_token, keys, algorithms=allowed)
    options: dict[str, Any] = {
        "iss": {"essential": True, "value": issuer},
        "sub": {"essential": True},
        "aud": {"essential": True, "value": client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True, "value": nonce},
    }
    params = {"nonce": nonce, "client_id": client_id, "access_token": access_token}
    claims = CodeIDToken(token.claims, token.header, options, params)
    claims.validate(now=now, leeway=LEEWAY)
    audience = claims["aud"]
    if isinstance(audience, list) and audience != [client_id]:
        # Another audience would be a party we do not know sharing this token.
        raise JoseError("the ID token has audiences other than this site")
    return dict(claims)


def _is_http_url(value: object, *, secure: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    return value.startswith("https://") or (not secure and value.startswith("http://"))


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))
