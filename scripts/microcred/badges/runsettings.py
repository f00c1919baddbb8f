"""One mint run's settings: the time, the signing keys and the GitHub connection, from the command line and the environment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from ..catalog.validate import UsageError
from . import jwk, vc
from .approval import Approvals

if TYPE_CHECKING:
    from ..review.github import Hub

SIGNING_KEY, JWT_KEY, PSEUDONYM_KEY = "MICROCRED_SIGNING_KEY", "MICROCRED_JWT_KEY", "MICROCRED_PSEUDONYM_KEY"
REPOSITORY, TOKEN, API_URL, SERVER_URL = "GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_API_URL", "GITHUB_SERVER_URL"


@dataclass(frozen=True)
class Settings:
    """One run's settings, read from the command line and the environment."""

    offline: bool
    now: datetime
    signing_key: Ed25519PrivateKey | None = None
    jwt_key: RSAPrivateKey | None = None  # with the signing key: the 3.0 form outside verifiers accept (issuing.py)
    pseudonym_key: bytes = b""
    repository: str | None = None  # owner/name: the pull request and submission links, and the API
    server: str = "https://github.com"
    hub: Hub | None = None  # for the online re-check
    blind_env: tuple[tuple[str, str], ...] = ()  # blind review: the intake token and the secret, to read bindings
    upgrade: bool = False  # add the 3.0 form to badges minted in the first form (a file beside, nothing rewritten)


def now_given(value: str | None) -> datetime:
    """--now as an aware date-time (UTC when it names no zone); the wall clock when it is not given."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now {value}: give an ISO 8601 date-time, e.g. 2026-09-20T15:04:05Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def signing_keys(env: dict[str, str]) -> tuple[Ed25519PrivateKey | None, RSAPrivateKey | None]:
    """The Ed25519 and RSA signing keys from the environment; a key that cannot be used is a usage error naming its variable."""
    key = None
    if env.get(SIGNING_KEY, "").strip():
        try:
            key = vc.load_private_key(env[SIGNING_KEY])
        except vc.VcError as err:
            raise UsageError(f"{SIGNING_KEY}: {err}") from None
    jwt_key = None
    if env.get(JWT_KEY, "").strip():
        if key is None:
            raise UsageError(f"{JWT_KEY} is set but {SIGNING_KEY} is not: a 3.0 credential carries both signatures")
        try:
            jwt_key = jwk.load_rsa_key(env[JWT_KEY])
        except jwk.JwkError as err:
            raise UsageError(f"{JWT_KEY}: {err}") from None
    return key, jwt_key


def settings(offline: bool, now: datetime, env: dict[str, str]) -> Settings:
    """The run's settings from the environment; a missing secret is a usage error that names its variable."""
    key, jwt_key = signing_keys(env)
    named = env.get(REPOSITORY, "").strip() or None
    server = env.get(SERVER_URL, "").strip().rstrip("/") or "https://github.com"
    if offline:
        return Settings(True, now, key, jwt_key, repository=named, server=server)
    for name in (API_URL, REPOSITORY, TOKEN, PSEUDONYM_KEY):
        if not env.get(name, "").strip():
            raise UsageError(f"{name} is not set; minting online needs it (or use --offline to mint from the records in records/)")
    from ..review.github import Hub  # PyGithub is loaded only when minting online

    hub = Hub.connect(env[API_URL].strip(), env[TOKEN].strip(), env[REPOSITORY].strip())
    blind_env = tuple((name, env[name]) for name in (API_URL, *Approvals.BLIND_ENV) if env.get(name, "").strip())
    return Settings(False, now, key, jwt_key, env[PSEUDONYM_KEY].encode("utf-8"), named, server, hub, blind_env)
