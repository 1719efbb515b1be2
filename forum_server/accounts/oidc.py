"""OpenID Connect, the relying party's side: discovery, the authorization request
(code flow with PKCE S256, `state` and `nonce`) and the code exchange. What the
provider sends back is checked in `oidc_checks`.

Small and explicit on purpose. Authlib's Starlette client keeps its state in Starlette's
signed-cookie session, which this app does not use; here the flow's secrets travel in
a signed, short-lived cookie the pages set and consume (`seal`/`unseal`). Authlib gives
the PKCE challenge and the ID token's claim rules (`CodeIDToken`), joserfc the
signature check against the provider's JWKS, httpx the calls. Nothing here knows
about Starlette or the database.
"""

from __future__ import annotations

import base64
import hmac
import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from itsdangerous import BadData, URLSafeTimedSerializer
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from forum_server.accounts.oidc_checks import OidcError, ProviderMetadata, verify_id_token
from forum_server.i18n import N_
from forum_server.settings import OidcProvider

log = logging.getLogger(__name__)

SCOPES = ("openid", "email", "profile")
METADATA_TTL = 3600.0  # seconds a discovery document or key set is trusted before refetching
HTTP_TIMEOUT = 10.0
MAX_RESPONSE_BYTES = 512 * 1024


@dataclass(frozen=True)
class Flow:
    """One sign-in in progress: what the callback must find again in this browser."""

    provider: str
    state: str
    nonce: str
    code_verifier: str
    next: str

    @classmethod
    def new(cls, provider: str, next_path: str) -> Flow:
        return cls(
            provider=provider,
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),  # 86 characters, within 43..128
            next=next_path,
        )


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in. (issuer, subject) is the key; the rest is hearsay
    the account rules weigh (docs/sign-in.md)."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


@dataclass(frozen=True)
class Signup:
    """Someone new, signed in at a provider, completing their profile before their
    account is made; `next` is where they were going."""

    provider: str
    identity: Identity
    next: str


# --- the signed cookies that carry a flow (and a sign-up awaiting its profile) --------


def seal(secret_key: str, purpose: str, data: dict[str, Any]) -> str:
    return URLSafeTimedSerializer(secret_key, salt=f"forum-oidc-{purpose}").dumps(data)


def unseal(secret_key: str, purpose: str, value: str | None, max_age: int) -> dict[str, Any] | None:
    """The data sealed for `purpose`, or None if missing, forged, altered or too old."""
    if not value:
        return None
    try:
        data = URLSafeTimedSerializer(secret_key, salt=f"forum-oidc-{purpose}").loads(
            value, max_age=max_age
        )
    except BadData:
        return None
    return data if isinstance(data, dict) else None


T = TypeVar("T", Flow, Identity)


def seal_flow(secret_key: str, flow: Flow) -> str:
    return seal(secret_key, "flow", flow.__dict__)


def unseal_flow(secret_key: str, value: str | None, max_age: int) -> Flow | None:
    """The flow sealed by seal_flow, or None (missing, forged, too old, another shape)."""
    return _restore(Flow, unseal(secret_key, "flow", value, max_age))


def seal_signup(secret_key: str, signup: Signup) -> str:
    data = {"provider": signup.provider, "identity": signup.identity.__dict__, "next": signup.next}
    return seal(secret_key, "signup", data)


def unseal_signup(secret_key: str, value: str | None, max_age: int) -> Signup | None:
    """The sign-up sealed by seal_signup, or None (missing, forged, too old, another shape)."""
    data = unseal(secret_key, "signup", value, max_age) or {}
    identity = _restore(Identity, data.get("identity"))
    if identity is None or not isinstance(data.get("provider"), str):
        return None
    return Signup(data["provider"], identity, str(data.get("next")))


def _restore(kind: type[T], data: Any) -> T | None:
    """A Flow or Identity from a cookie we sealed (None if it is of another shape)."""
    try:
        return kind(**data) if isinstance(data, dict) else None
    except TypeError:
        return None


# --- the client ------------------------------------------------------------------------


class OidcClient:
    """The configured providers, with their discovery documents and key sets cached."""

    def __init__(
        self,
        providers: tuple[OidcProvider, ...],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.providers = {provider.name: provider for provider in providers}
        self._transport = transport
        self._metadata: dict[str, tuple[float, ProviderMetadata]] = {}
        self._keys: dict[str, tuple[float, KeySet]] = {}

    def provider(self, name: str) -> OidcProvider | None:
        return self.providers.get(name)

    async def metadata(self, provider: OidcProvider) -> ProviderMetadata:
        cached = self._metadata.get(provider.name)
        if cached and time.monotonic() - cached[0] < METADATA_TTL:
            return cached[1]
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        meta = ProviderMetadata.from_document(await self._get_json(url, provider), provider.issuer)
        self._metadata[provider.name] = (time.monotonic(), meta)
        return meta

    async def start(
        self, provider: OidcProvider, redirect_uri: str, next_path: str
    ) -> tuple[str, Flow]:
        """The provider's authorization URL to send the browser to, and the flow to keep."""
        meta = await self.metadata(provider)
        flow = Flow.new(provider.name, next_path)
        scopes = [s for s in SCOPES if s == "openid" or not meta.scopes or s in meta.scopes]
        query = urlencode(
            {
                "response_type": "code",
                "client_id": provider.client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(scopes),
                "state": flow.state,
                "nonce": flow.nonce,
                "code_challenge": create_s256_code_challenge(flow.code_verifier),
                "code_challenge_method": "S256",
            }
        )
        separator = "&" if "?" in meta.authorization_endpoint else "?"
        return f"{meta.authorization_endpoint}{separator}{query}", flow

    async def finish(
        self,
        provider: OidcProvider,
        flow: Flow,
        params: Mapping[str, str],
        redirect_uri: str,
    ) -> Identity:
        """Checks the provider's answer against the flow this browser started, redeems
        the code and verifies the ID token. Raises OidcError, saying why, otherwise."""
        state = params.get("state") or ""
        if flow.provider != provider.name or not hmac.compare_digest(
            state.encode(), flow.state.encode()
        ):
            raise OidcError(
                N_(
                    "This sign-in answer does not belong to the sign-in started in this "
                    "browser. Please start again."
                ),
                code="state_mismatch",
            )
        meta = await self.metadata(provider)
        iss = params.get("iss")
        if (iss is not None or meta.iss_parameter) and iss != provider.issuer:
            raise OidcError(
                N_(
                    "The answer came from a different sign-in service than the one asked. "
                    "Please start again."
                ),
                code="wrong_issuer",
            )
        if error := params.get("error"):
            description = (params.get("error_description") or "").strip()[:300]
            if description:
                raise OidcError(
                    N_("%(provider)s did not sign you in: %(description)s"),
                    code=error[:60],
                    params={
                        "provider": provider.label,
                        "description": description.removesuffix(".") + ".",
                    },
                )
            raise OidcError(
                N_("%(provider)s did not sign you in (%(error)s)."),
                code=error[:60],
                params={"provider": provider.label, "error": error[:60]},
            )
        code = params.get("code")
        if not code:
            raise OidcError(N_("The sign-in service sent no authorization code."), code="no_code")
        tokens = await self._redeem(meta, provider, code, flow.code_verifier, redirect_uri)
        claims = await self._id_token_claims(meta, provider, tokens, flow.nonce)
        if "email" not in claims and meta.userinfo_endpoint and tokens.get("access_token"):
            claims = {**(await self._userinfo(meta, tokens["access_token"], claims)), **claims}
        email = claims.get("email")
        return Identity(
            issuer=provider.issuer,
            subject=claims["sub"],
            email=email.strip().lower() if isinstance(email, str) and email.strip() else None,
            email_verified=claims.get("email_verified") in (True, "true"),
            name=_first_string(claims, "name", "preferred_username", "given_name"),
        )

    # --- the calls ---------------------------------------------------------------------

    async def _redeem(
        self,
        meta: ProviderMetadata,
        provider: OidcProvider,
        code: str,
        code_verifier: str,
        redirect_uri: str,
    ) -> dict[str, Any]:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        headers = {"Accept": "application/json"}
        if not provider.client_secret:
            data["client_id"] = provider.client_id
        elif "client_secret_basic" in meta.token_auth_methods:
            # RFC 6749 2.3.1: each part form-encoded before the Basic encoding.
            pair = f"{quote(provider.client_id, safe='')}:{quote(provider.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            data.update(client_id=provider.client_id, client_secret=provider.client_secret)
        try:
            async with self._http() as http:
                response = await http.post(meta.token_endpoint, data=data, headers=headers)
        except httpx.HTTPError as exc:
            raise _unreachable(provider, exc) from None
        body = _json_object(response)
        if response.status_code != 200:
            error = str(body.get("error") or response.status_code)[:60]
            log.info("OIDC %s: token endpoint refused the code: %s", provider.name, error)
            raise OidcError(
                N_(
                    "%(provider)s did not accept this sign-in (%(error)s); it may have been "
                    "used already or have expired. Please start again."
                ),
                code=error,
                params={"provider": provider.label, "error": error},
            )
        if not isinstance(body.get("id_token"), str):
            raise OidcError(N_("The sign-in service sent no ID token."), code="no_id_token")
        return body

    async def _id_token_claims(
        self, meta: ProviderMetadata, provider: OidcProvider, tokens: dict[str, Any], nonce: str
    ) -> dict[str, Any]:
        access_token = tokens.get("access_token")

        def verify(keys: KeySet) -> dict[str, Any]:
            return verify_id_token(
                tokens["id_token"],
                keys,
                issuer=provider.issuer,
                client_id=provider.client_id,
                nonce=nonce,
                algorithms=meta.id_token_algorithms,
                access_token=access_token if isinstance(access_token, str) else None,
            )

        try:
            try:
                return verify(await self._key_set(provider, meta))
            except InvalidKeyIdError:  # the provider may have rotated its keys
                return verify(await self._key_set(provider, meta, refresh=True))
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            log.warning("OIDC %s: ID token refused: %r", provider.name, exc)
            raise OidcError(
                N_("The sign-in service's answer could not be verified, so it was refused."),
                code="invalid_id_token",
            ) from None

    async def _key_set(
        self, provider: OidcProvider, meta: ProviderMetadata, *, refresh: bool = False
    ) -> KeySet:
        cached = self._keys.get(meta.jwks_uri)
        if cached and not refresh and time.monotonic() - cached[0] < METADATA_TTL:
            return cached[1]
        document = await self._get_json(meta.jwks_uri, provider)
        keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
        self._keys[meta.jwks_uri] = (time.monotonic(), keys)
        return keys

    async def _userinfo(
        self, meta: ProviderMetadata, access_token: str, id_claims: dict[str, Any]
    ) -> dict[str, Any]:
        """Claims the provider keeps out of the ID token (e-mail, name). Only trusted
        when it speaks of the same subject (OIDC Core 5.3.2)."""
        assert meta.userinfo_endpoint is not None
        try:
            async with self._http() as http:
                response = await http.get(
                    meta.userinfo_endpoint,
                    headers={
                        "Authorization": f"Bearer {access_token}",
                        "Accept": "application/json",
                    },
                )
        except httpx.HTTPError:
            return {}
        info = _json_object(response)
        if response.status_code != 200 or info.get("sub") != id_claims["sub"]:
            return {}
        return {k: info[k] for k in ("email", "email_verified", "name") if k in info}

    async def _get_json(self, url: str, provider: OidcProvider) -> dict[str, Any]:
        try:
            async with self._http() as http:
                response = await http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise _unreachable(provider, exc) from None
        body = _json_object(response)
        if response.status_code != 200 or not body:
            log.warning("OIDC: %s answered %s", url, response.status_code)
            raise OidcError(
                N_("The sign-in service did not answer as expected. Please try again later."),
                code="provider_unavailable",
            )
        return body

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=HTTP_TIMEOUT, follow_redirects=False, transport=self._transport
        )


def _unreachable(provider: OidcProvider, exc: Exception) -> OidcError:
    log.warning("OIDC %s: %r", provider.name, exc)
    return OidcError(
        N_(
            "The sign-in service (%(provider)s) cannot be reached right now. Please try "
            "again later."
        ),
        code="provider_unavailable",
        params={"provider": provider.label},
    )


def _json_object(response: httpx.Response) -> dict[str, Any]:
    if len(response.content) > MAX_RESPONSE_BYTES:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _first_string(claims: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
