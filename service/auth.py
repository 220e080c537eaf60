"""API keys: who may write (and, when READS_REQUIRE_KEY is set, read) through the API.

Keys are random (256 bits) and stored only as their SHA-256, so a leaked database holds no usable
key. Until the first key is created the service trusts loopback clients, so a newcomer's `make run`
accepts writes from the same machine; from then on every write needs `Authorization: Bearer <key>`.
The key use cases here (create, revoke) commit, like those in usecases.py.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Response, current_app, g, request
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service.api.errors import problem
from service.db import get_session, session_scope
from service.models import ApiKey, utcnow

log = logging.getLogger(__name__)

KEY_PREFIX = "tl_"  # marks the service's keys, so secret scanners and people can recognise them
SCOPES = ("read", "write")  # a write key may also read
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# POST operations that compute an answer and store nothing: reads, as far as keys are concerned.
READ_ONLY_POSTS = frozenset({"api.resolve_dates"})
# Headers a reverse proxy adds: such a request came from elsewhere, whatever its socket address.
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


class KeyNotFound(Exception):
    """No key has that id, name or prefix."""


@dataclass(frozen=True)
class NewKey:
    """A key just created: `secret` is shown once and never stored."""

    key: ApiKey
    secret: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(session: Session, name: str, scope: str = "write") -> NewKey:
    """Store a new key under `name` (its hash only) and return it with its secret."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, prefix=secret[:10], key_hash=hash_key(secret), scope=scope)
    session.add(key)
    session.commit()
    return NewKey(key, secret)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, ident: str) -> ApiKey:
    """Revoke the key whose id, name or prefix is `ident`; revoking twice keeps the first time."""
    condition = or_(ApiKey.name == ident, ApiKey.prefix == ident)
    if ident.isdigit():
        condition = or_(condition, ApiKey.id == int(ident))
    keys = list(session.scalars(select(ApiKey).where(condition)))
    if len(keys) != 1:
        raise KeyNotFound(ident if not keys else f"{ident} (several keys match; give the id)")
    key = keys[0]
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.commit()
    return key


def any_key_exists(session: Session) -> bool:
    """True once a key has ever been created (a revoked one counts: loopback trust does not return)."""
    return bool(session.scalar(select(exists().where(ApiKey.id.is_not(None)))))


def find_key(session: Session, secret: str) -> ApiKey | None:
    """The unrevoked key with this secret, or None."""
    return session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked_at.is_(None))
    )


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header, or None when there is none."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def is_write() -> bool:
    """True for requests that change data (anything but GET/HEAD/OPTIONS and computing POSTs)."""
    return request.method not in SAFE_METHODS and request.endpoint not in READ_ONLY_POSTS


def trusted_loopback() -> bool:
    """A same-origin request straight from this machine (no proxy in between, no foreign page)."""
    try:
        if not ipaddress.ip_address(request.remote_addr or "").is_loopback:
            return False
    except ValueError:
        return False
    if any(name in request.headers for name in PROXY_HEADERS):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin.rstrip("/") == request.host_url.rstrip("/")


def _unauthorized(detail: str) -> Response:
    response = problem(401, "Unauthorized", detail)
    response.headers["WWW-Authenticate"] = 'Bearer realm="timeline"'
    return response


def authorize() -> Response | None:
    """Before an API request: None to go on, or the 401/403 problem that ends it."""
    if request.blueprint != "api":
        return None
    writing = is_write()
    if not writing and not current_app.config["READS_REQUIRE_KEY"]:
        return None
    needed = "write" if writing else "read"
    action = "Writing" if writing else "Reading"
    session = get_session()
    has_header = "Authorization" in request.headers
    token = bearer_token()
    if token is None:
        if not has_header and trusted_loopback() and not any_key_exists(session):
            return None
        if has_header:
            return _unauthorized("The Authorization header must be 'Bearer <key>'.")
        return _unauthorized(f"{action} needs an API key: send 'Authorization: Bearer <key>'.")
    key = find_key(session, token)
    if key is None:
        return _unauthorized("The API key is unknown or revoked.")
    if needed == "write" and key.scope != "write":
        return problem(
            403,
            "Forbidden",
            f"The API key '{key.name}' may only read; writing needs a key with the 'write' scope.",
        )
    g.api_key_name = key.name
    return None


def announce(app: Flask) -> None:
    """Say at start-up who may write: loopback clients only until a key exists, or key holders."""
    try:
        with session_scope(app) as session:
            keys = any_key_exists(session)
    except SQLAlchemyError as error:  # an unreachable or unmigrated database must not stop the start
        log.warning("could not check for API keys (%s); writes need a key or loopback", type(error).__name__)
        return
    finally:
        # gunicorn --preload forks workers after this: none may inherit the pooled connection.
        app.extensions["engine"].dispose()
    if keys:
        log.info("API keys exist: writes need 'Authorization: Bearer <key>'")
    else:
        log.warning(
            "no API key exists yet: writes are accepted only from loopback addresses"
            " (create one with `flask keys create NAME`)"
        )


def describe_key(key: ApiKey) -> str:
    """One line for `flask keys list`."""
    state = "revoked " + _iso(key.revoked_at) if key.revoked_at else "active"
    return (
        f"{key.id:>4}  {key.name:<24} {key.prefix}…  {key.scope:<5}  created {_iso(key.created_at)}  {state}"
    )


def _iso(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else "-"
