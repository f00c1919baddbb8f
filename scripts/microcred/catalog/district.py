"""A member district as its file states it: what it endorses, the incentives it gives, whom it recognises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .validity import Validity, parse_or_none
from .words import dollars, number


def _t(items: Any) -> tuple[Any, ...]:
    return tuple(items or ())


@dataclass(frozen=True)
class Rate:
    amount: float
    basis: str  # per-credential | per-estimated-hour

    def for_hours(self, hours: float) -> float:
        return round(self.amount * hours, 2) if self.basis == "per-estimated-hour" else self.amount


@dataclass(frozen=True)
class Stipend:
    amount: float
    annual_cap: int | None
    preparation: float | None


@dataclass(frozen=True)
class Incentives:
    salary_credit: Mapping[str, float] | None
    ceus: Rate | None
    stipend: Stipend | None
    recertification_hours: Rate | None
    notes: str | None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Incentives:
        def rate(x: Any) -> Rate | None:
            return Rate(x["amount"], x["basis"]) if x else None

        stipend = d.get("stipend")
        salary = d.get("salary_credit")
        return cls(
            salary_credit=MappingProxyType(dict(salary["by_type"])) if salary else None,
            ceus=rate(d.get("ceus")),
            stipend=Stipend(stipend["amount"], stipend.get("annual_cap"), stipend.get("preparation")) if stipend else None,
            recertification_hours=rate(d.get("recertification_hours")),
            notes=d.get("notes"),
        )

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of incentive given, in a fixed order."""
        present = {
            "salary-credit": self.salary_credit,
            "ceus": self.ceus,
            "stipend": self.stipend,
            "recertification-hours": self.recertification_hours,
        }
        return tuple(kind for kind, value in present.items() if value is not None)


UNITS = {  # unit -> (one, many)
    "pdp": ("PDP", "PDPs"),
    "clock-hours": ("clock hour", "clock hours"),
    "ceus": ("CEU", "CEUs"),
    "semester-hours": ("semester hour", "semester hours"),
    "renewal-points": ("renewal point", "renewal points"),
    "salary-lane-hours": ("hour of salary lane credit", "hours of salary lane credit"),
    "dollars": ("dollar", "dollars"),
}


@dataclass(frozen=True)
class Credit:
    """One unit a district grants for a micro-credential, in its licensure or PD system's terms."""

    unit: str
    rate: Rate
    area: str | None

    def amount(self, estimated_hours: float) -> float:
        return self.rate.for_hours(estimated_hours)

    def phrase(self, estimated_hours: float) -> str:
        """'6 PDPs (Professional Learning)' for one micro-credential of these hours."""
        text = self._units(self.amount(estimated_hours))
        return f"{text} ({self.area})" if self.area else text

    def rate_phrase(self) -> str:
        """'1 clock hour per estimated hour (Instructional Practice)': the rate, for the district's page."""
        per = "per estimated hour of the micro-credential" if self.rate.basis == "per-estimated-hour" else "per micro-credential"
        text = f"{self._units(self.rate.amount)} {per}"
        return f"{text}, filed under {self.area}" if self.area else text

    def _units(self, amount: float) -> str:
        """'6 PDPs', '1 clock hour', '$150'."""
        if self.unit == "dollars":
            return dollars(amount)
        one, many = UNITS[self.unit]
        return f"{number(amount)} {one if amount == 1 else many}"


@dataclass(frozen=True)
class District:
    id: str
    name: str
    url: str | None
    contact_office: str | None
    contact_email: str | None
    contact_url: str | None
    endorsed_credentials: tuple[str, ...]
    endorsed_stacks: tuple[str, ...]
    incentives: Incentives
    pre_approval: bool
    pre_approval_instructions: str | None
    recognises: tuple[str, ...]
    school_year_start: str
    credit: tuple[Credit, ...] = ()
    credit_system: str | None = None
    credit_filing: str | None = None
    recipient_salt: str | None = None
    valid_for: Validity | None = None  # counts a recognised badge this long at most

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> District:
        contact = d.get("contact", {})
        return cls(
            id=d["id"],
            name=d["name"],
            url=d.get("url"),
            contact_office=contact.get("office"),
            contact_email=contact.get("email"),
            contact_url=contact.get("url"),
            endorsed_credentials=_t(d["endorses"].get("credentials")),
            endorsed_stacks=_t(d["endorses"].get("stacks")),
            incentives=Incentives.from_dict(d["incentives"]),
            pre_approval=d["pre_approval"]["required"],
            pre_approval_instructions=d["pre_approval"].get("instructions"),
            recognises=_t(d.get("recognises")),
            school_year_start=d.get("school_year_start", "07-01"),
            credit=tuple(
                Credit(u["unit"], Rate(u["amount"], u.get("basis", "per-credential")), u.get("area"))
                for u in d.get("credit", {}).get("units", ())
            ),
            credit_system=d.get("credit", {}).get("system"),
            credit_filing=d.get("credit", {}).get("filing"),
            recipient_salt=d.get("recipient_salt"),
            valid_for=parse_or_none(d.get("valid_for")),
        )
