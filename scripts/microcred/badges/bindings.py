"""Who earned a relayed badge, for the reports and the site build: the bindings read as the gate and mint read them.

Under blind review the public review record names an opaque id as earner and district. Where blind review is on
and MICROCRED_INTAKE_TOKEN and MICROCRED_BLIND_KEY are set, each opaque id is looked up in the intake repository's
bindings/<id>.yml on its default branch and used only when its HMAC matches and it is for the badge's credential;
nothing is fetched otherwise, and the caller says how many badges stay unattributed and why.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..catalog.blind import INTAKE_TOKEN, KEY, BindingError
from ..catalog.model import Catalog

API = "https://api.github.com"  # when GITHUB_API_URL is not set, as on an HR office's machine


@dataclass(frozen=True)
class Attribution:
    """What the bindings say of the opaque ids asked for."""

    known: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # opaque id -> (login, district), checked
    refused: Mapping[str, str] = field(default_factory=dict)  # opaque id -> why its binding is not used
    unread: str = ""  # why no binding was read at all; "" when they were


def attribute(catalog: Catalog, wanted: Mapping[str, str], env: Mapping[str, str] | None = None) -> Attribution:
    """The earner's login and district of each opaque id in `wanted` (opaque id -> the badge's credential)."""
    if not wanted:
        return Attribution()
    if catalog.consortium.blind is None:
        return Attribution(unread="blind review is off in catalog/consortium.yml, so no intake repository holds their bindings")
    env = dict(os.environ if env is None else env)
    if not env.get(INTAKE_TOKEN, "").strip() or not env.get(KEY, "").strip():
        return Attribution(unread=f"{INTAKE_TOKEN} and {KEY} are not set")
    from ..review import blind  # PyGithub is loaded only when a binding is read
    from ..review.pulls import GateError

    reader = blind.connect(env.get("GITHUB_API_URL", "").strip() or API, catalog, env)
    assert reader is not None  # blind review is on and both are set
    known: dict[str, tuple[str, str]] = {}
    refused: dict[str, str] = {}
    try:
        for opaque, credential in sorted(wanted.items()):
            try:
                binding = reader.binding(opaque)
            except BindingError as err:
                refused[opaque] = str(err)
                continue
            if binding.credential != credential:
                refused[opaque] = f"MC354 the binding of {opaque} is for another credential than {credential}"
            else:
                known[opaque] = (binding.login, binding.district)
    except GateError as err:
        return Attribution(known, refused, f"the intake repository {catalog.consortium.blind.intake} could not be read: {err}")
    finally:
        reader.close()
    return Attribution(known, refused)
