"""What a district gives for an earned micro-credential, as numbers and in words."""

from __future__ import annotations

from dataclasses import dataclass

from .district import District
from .model import Credential
from .words import dollars, number


@dataclass(frozen=True)
class Award:
    """One district's incentives for one or more earned credentials."""

    salary_credit: float = 0
    ceus: float = 0
    stipend: float = 0
    recertification_hours: float = 0

    def __add__(self, other: Award) -> Award:
        return Award(
            self.salary_credit + other.salary_credit,
            round(self.ceus + other.ceus, 2),
            self.stipend + other.stipend,
            round(self.recertification_hours + other.recertification_hours, 2),
        )

    def phrases(self) -> list[str]:
        out = []
        if self.salary_credit:
            out.append(f"{dollars(self.salary_credit)} added to base salary")
        if self.ceus:
            out.append(f"{number(self.ceus)} CEU{'s' if self.ceus != 1 else ''}")
        if self.stipend:
            out.append(f"{dollars(self.stipend)} stipend")
        if self.recertification_hours:
            out.append(f"{number(self.recertification_hours)} recertification hour{'s' if self.recertification_hours != 1 else ''}")
        return out


def award(district: District, credential: Credential) -> Award:
    """The incentives a district gives for one earned credential (before any annual cap)."""
    inc = district.incentives
    return Award(
        salary_credit=inc.salary_credit[credential.type] if inc.salary_credit else 0,
        ceus=inc.ceus.for_hours(credential.estimated_hours) if inc.ceus else 0,
        stipend=inc.stipend.amount if inc.stipend else 0,
        recertification_hours=inc.recertification_hours.for_hours(credential.estimated_hours) if inc.recertification_hours else 0,
    )


def conditions(district: District) -> list[str]:
    """The district's conditions on its incentives, in words."""
    out = []
    stipend = district.incentives.stipend
    if stipend and stipend.annual_cap:
        out.append(f"stipend paid for at most {stipend.annual_cap} micro-credentials a school year")
    if stipend and stipend.preparation:
        out.append(f"{dollars(stipend.preparation)} for preparation time when pre-approved")
    out.append("pre-approval required" if district.pre_approval else "no pre-approval needed")
    return out
