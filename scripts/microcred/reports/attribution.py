"""Relayed badges in the reports: their earner and district from the private binding, or counted as unattributed.

A badge relayed for blind review has a public record naming its opaque id as earner and district, so no district
would count it. Given the bindings (badges/bindings.py), the history the reports read names its earner's login
and district instead; the records and the files stay as they are. A badge that cannot be attributed is never
dropped silently: `note` says how many and how to run the report so that they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..badges.bindings import attribute
from ..catalog.blind import INTAKE_TOKEN, KEY, OPAQUE
from ..catalog.model import Catalog
from ..catalog.words import number
from .history import Badge, History, once


@dataclass(frozen=True)
class Attributed:
    history: History  # relayed badges with their earner's login and district where the binding gave them
    unattributed: int  # standing relayed badges still named by their opaque id
    note: str  # what the reader must be told about those; "" when there are none


def relayed(badge: Badge) -> bool:
    """Whether a badge is still named by an opaque id, as a relayed badge's public record names it."""
    return badge.earner == badge.district and OPAQUE.fullmatch(badge.district) is not None


def attributed(history: History, catalog: Catalog, env: Mapping[str, str] | None = None) -> Attributed:
    """The history with each relayed badge attributed through its binding; the network is used only when there is one."""
    wanted = {b.earner: b.credential for b in history.badges if relayed(b)}
    if not wanted:
        return Attributed(history, 0, "")
    found = attribute(catalog, wanted, env)
    badges = []
    for b in history.badges:
        who = found.known.get(b.earner) if relayed(b) else None
        badges.append(replace(b, earner=who[0], district=who[1]) if who else b)
    # A version counts once per earner: known now, a relayed badge may be the second of its earner's.
    kept = once(badges)
    left = [b for b in kept if relayed(b) and not b.revoked]
    return Attributed(replace(history, badges=kept), len(left), _note(left, found.unread, found.refused))


def _note(left: list[Badge], unread: str, refused: Mapping[str, str]) -> str:
    if not left:
        return ""
    count = len(left)
    said = f"{number(count)} badge{'s' if count != 1 else ''} relayed for blind review"
    said += (
        f" {'are' if count != 1 else 'is'} not attributed to a district, so no district's figures count {'them' if count != 1 else 'it'}"
    )
    why = [unread] if unread else [refused[opaque] for opaque in sorted({b.earner for b in left} & set(refused))]
    how = (
        f"; run it with {INTAKE_TOKEN} (a token that reads the intake repository) and {KEY} (the consortium's secret) set"
        if unread.endswith("are not set")
        else ""
    )
    return f"{said}: {'; '.join(why)}{how}"
