"""Blind review on the public side: the binding read from the intake repository, and a relayed submission as the gate judges it.

The public catalog never holds who submitted a relayed submission. The gate (and mint) read the binding
through a read-only token for the intake repository, on its default branch, where no pull request can
change it, and check its HMAC under the consortium's secret before they trust it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..catalog.blind import INTAKE_TOKEN, KEY, Binding, BindingError, binding_path, read_binding
from ..catalog.model import Catalog, Credential
from .pulls import GateError, Pull, Subject, unbound

if TYPE_CHECKING:
    from .github import Hub


@dataclass
class Intake:
    """The intake repository as the public side reads it: bindings only, through its own read-only token."""

    hub: Hub
    key: bytes
    _bindings: dict[str, Binding | BindingError] | None = None

    def binding(self, opaque: str) -> Binding:
        """The checked binding of an opaque id; BindingError (MC353, MC354) when it is missing or does not match."""
        if self._bindings is None:
            self._bindings = {}
        if opaque not in self._bindings:
            self._bindings[opaque] = self._read(opaque)
        found = self._bindings[opaque]
        if isinstance(found, BindingError):
            raise found
        return found

    def _read(self, opaque: str) -> Binding | BindingError:
        try:
            raw = self.hub.file_at(binding_path(opaque), self.hub.default_branch())
        except GateError as err:
            if "HTTP 404" not in str(err):
                raise
            return BindingError(f"MC353 no binding for {opaque} in the intake repository: only the relay opens submissions")
        try:
            return read_binding(raw, opaque, self.key)
        except BindingError as err:
            return BindingError(f"MC354 {err}")

    def close(self) -> None:
        self.hub.close()


def connect(api: str, catalog: Catalog | None, env: dict[str, str] | None = None) -> Intake | None:
    """The intake reader when blind review is on and its token and key are set; None otherwise (relayed submissions are refused)."""
    blind = catalog.consortium.blind if catalog else None
    env = dict(os.environ) if env is None else env
    token, key = env.get(INTAKE_TOKEN, "").strip(), env.get(KEY, "").strip()
    if blind is None or not token or not key:
        return None
    from .github import Hub

    return Intake(Hub.connect(api, token, blind.intake), key.encode("utf-8"))


def subject(
    intake: Intake | None, catalog: Catalog, pull: Pull, path: str, opaque: str, data: dict[str, Any], credential: Credential
) -> Subject:
    """A submission under blind review: opened by the relay, named by its opaque id, bound in the intake repository.

    Raises BindingError with the problem code; no message names the earner or their district, since it is shown publicly.
    """
    blind = catalog.consortium.blind
    assert blind is not None
    if pull.author.casefold() != blind.relay.casefold():
        raise BindingError(
            f"MC352 {pull.author} opened this submission, but under blind review submissions come only through the relay "
            f"({blind.relay}): submit in the intake repository {blind.intake}"
        )
    where = f"{path} at {pull.head[:7]}"
    if data.get("blind") != opaque or "earner" in data:
        raise BindingError(f"MC354 {where}: a relayed submission names its opaque id in blind: and in its file name, and no earner")
    if intake is None:
        raise BindingError(f"MC353 blind review is on, but {INTAKE_TOKEN} and {KEY} are not set: the binding cannot be read")
    binding = intake.binding(opaque)
    if binding.credential != credential.id:
        raise BindingError(f"MC354 the binding of {opaque} is for another credential than {credential.id}")
    if unbound(catalog, binding.login, binding.district):
        raise BindingError(f"MC354 the binding of {opaque} names an earner and district that catalog/earners.yml does not pair")
    return Subject("submission", path, credential, catalog.rubrics[credential.rubric], binding.district, binding.login)
