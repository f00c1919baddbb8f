"""The validated catalog as one immutable object: what the site, reports and badges read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from .arrangements import BadgeSite, BlindReview
from .district import District
from .validity import Validity, parse_or_none

CREDENTIAL_TYPES = ("foundational", "proficient", "advanced")


def _t(items: Any) -> tuple[Any, ...]:
    return tuple(items or ())


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    word_limit: int


@dataclass(frozen=True)
class Artifact:
    id: str
    title: str
    description: str
    kinds: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Named:
    """A name with a description: the key method and each of its components."""

    name: str
    description: str


@dataclass(frozen=True)
class Citation:
    citation: str
    doi: str | None
    url: str | None
    note: str | None

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url or ""


@dataclass(frozen=True)
class Resource:
    title: str
    url: str
    kind: str
    description: str | None


@dataclass(frozen=True)
class Designer:
    name: str
    login: str | None
    affiliation: str | None


@dataclass(frozen=True)
class Alignment:
    framework: str
    code: str | None
    name: str
    url: str | None


@dataclass(frozen=True)
class Credential:
    id: str
    version: str
    status: str
    title: str
    summary: str
    type: str
    competency: str
    key_method: Named
    method_components: tuple[Named, ...]
    rationale: str
    research: tuple[Citation, ...]
    resources: tuple[Resource, ...]
    overview: tuple[Question, ...]
    artifacts: tuple[Artifact, ...]
    reflection: tuple[Question, ...]
    rubric: str
    prerequisites: tuple[str, ...]
    subjects: tuple[str, ...]
    grade_bands: tuple[str, ...]
    tags: tuple[str, ...]
    estimated_hours: float
    designers: tuple[Designer, ...]
    license: str
    alignment: tuple[Alignment, ...]
    valid_for: Validity | None = None
    renewal_reflection: tuple[Question, ...] = ()  # empty: a renewal answers the whole submission
    renewal_artifacts: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Credential:
        sub = d["submission"]

        def questions(items: Any) -> tuple[Question, ...]:
            return tuple(Question(q["id"], q["prompt"], q["word_limit"]) for q in items or ())

        return cls(
            id=d["id"],
            version=d["version"],
            status=d["status"],
            title=d["title"],
            summary=d["summary"],
            type=d["type"],
            competency=d["competency"],
            key_method=Named(d["key_method"]["name"], d["key_method"]["description"]),
            method_components=tuple(Named(c["name"], c["description"]) for c in d["method_components"]),
            rationale=d["rationale"],
            research=tuple(Citation(r["citation"], r.get("doi"), r.get("url"), r.get("note")) for r in d["research"]),
            resources=tuple(Resource(r["title"], r["url"], r["kind"], r.get("description")) for r in d["resources"]),
            overview=questions(sub["overview"]),
            artifacts=tuple(
                Artifact(a["id"], a["title"], a["description"], _t(a["kinds"]), a.get("required", True)) for a in sub["artifacts"]
            ),
            reflection=questions(sub.get("reflection")),
            rubric=d["rubric"],
            prerequisites=_t(d.get("prerequisites")),
            subjects=_t(d["subjects"]),
            grade_bands=_t(d["grade_bands"]),
            tags=_t(d.get("tags")),
            estimated_hours=d["estimated_hours"],
            designers=tuple(Designer(x["name"], x.get("login"), x.get("affiliation")) for x in d["designers"]),
            license=d["license"],
            alignment=tuple(Alignment(a["framework"], a.get("code"), a["name"], a.get("url")) for a in d.get("alignment", ())),
            valid_for=parse_or_none(d.get("valid_for")),
            renewal_reflection=questions(d.get("renewal", {}).get("reflection")),
            renewal_artifacts=_t(d.get("renewal", {}).get("artifacts")),
        )


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    meets: bool


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    part: str
    items: tuple[str, ...]
    descriptors: Mapping[str, str]


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    description: str | None
    levels: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    rule: str
    minimum: int | None
    required: tuple[str, ...]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Rubric:
        earning = d["earning"]
        return cls(
            id=d["id"],
            title=d["title"],
            description=d.get("description"),
            levels=tuple(Level(x["id"], x["label"], x["meets"]) for x in d["levels"]),
            criteria=tuple(
                Criterion(c["id"], c["title"], c["part"], _t(c.get("items")), MappingProxyType(dict(c["descriptors"])))
                for c in d["criteria"]
            ),
            rule=earning["rule"],
            minimum=earning.get("minimum"),
            required=_t(earning.get("required")),
        )

    @property
    def earning_rule(self) -> str:
        """The rule for earning, in words."""
        if self.rule == "all-criteria":
            return "Every criterion must be met."
        text = f"At least {self.minimum} of the {len(self.criteria)} criteria must be met"
        if self.required:
            titles = [c.title for c in self.criteria if c.id in self.required]
            text += ", including: " + "; ".join(titles)
        return text + "."


@dataclass(frozen=True)
class Stack:
    id: str
    title: str
    summary: str
    description: str
    members: tuple[str, ...]
    tags: tuple[str, ...]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Stack:
        return cls(d["id"], d["title"], d["summary"], d["description"], _t(d["members"]), _t(d.get("tags")))


@dataclass(frozen=True)
class Consortium:
    id: str
    name: str
    description: str | None
    url: str
    email: str
    site_url: str
    members: tuple[str, ...]
    maintainers: tuple[str, ...]
    exclude_earner_district: bool
    target_days: int
    primary_color: str
    accent_color: str
    repository: str | None = None  # https://HOST/OWNER/NAME
    branch: str = "main"
    site_budget_mb: int = 819  # 80% of GitHub Pages' 1 GB
    linkedin_organization_id: str | None = None  # LinkedIn's "Add to profile" then shows the consortium's logo
    blind: BlindReview | None = None  # blind review on: submissions arrive through the relay from the intake repository
    remind_days: int = 60  # `microcred remind` opens an issue this many days before a badge expires
    badge_sites: tuple[BadgeSite, ...] = ()  # where badges minted from a day on are published, in the order of their days

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Consortium:
        review = d.get("review", {})
        colors = d.get("colors", {"primary": "#1d4e89", "accent": "#f2a541"})
        return cls(
            id=d["id"],
            name=d["name"],
            description=d.get("description"),
            url=d["url"],
            email=d["email"],
            site_url=d["site_url"],
            members=_t(d["members"]),
            maintainers=_t(d.get("maintainers")),
            exclude_earner_district=review.get("exclude_earner_district", False),
            target_days=review.get("target_days", 14),
            primary_color=colors["primary"],
            accent_color=colors["accent"],
            repository=d.get("repository", {}).get("url"),
            branch=d.get("repository", {}).get("branch", "main"),
            site_budget_mb=d.get("site_budget_mb", 819),
            linkedin_organization_id=d.get("linkedin_organization_id"),
            blind=BlindReview.from_dict(d["blind_review"]) if d.get("blind_review") else None,
            remind_days=d.get("reminders", {}).get("days_before", 60),
            badge_sites=tuple(BadgeSite(s["from"], s["url"], s.get("repository")) for s in d.get("badge_sites", ())),
        )


@dataclass(frozen=True)
class Reviewer:
    login: str
    name: str
    roles: tuple[str, ...]
    district: str
    credentials: tuple[str, ...]
    stacks: tuple[str, ...]
    active: bool

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Reviewer:
        return cls(
            d["login"], d["name"], _t(d["roles"]), d["district"], _t(d.get("credentials")), _t(d.get("stacks")), d.get("active", True)
        )

    def assessed(self, members: Callable[[str], Iterable[str]]) -> frozenset[str]:
        """Ids of the credentials this reviewer may assess: those named and every member of each stack named.

        None for someone inactive or without the assessor role. `members(stack id)` gives a stack's credential ids,
        so the validator (raw documents) and the Catalog (a valid catalog) share this one rule.
        """
        if not self.active or "assessor" not in self.roles:
            return frozenset()
        return frozenset(self.credentials).union(*(members(stack) for stack in self.stacks))


@dataclass(frozen=True)
class Catalog:
    """Every item of a valid catalog, each collection sorted by id."""

    consortium: Consortium
    credentials: Mapping[str, Credential]
    rubrics: Mapping[str, Rubric]
    stacks: Mapping[str, Stack]
    districts: Mapping[str, District]
    reviewers: tuple[Reviewer, ...]
    earners: Mapping[str, str] = field(default_factory=dict)  # casefolded login -> district, from catalog/earners.yml

    @classmethod
    def from_documents(cls, documents: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Catalog:
        """Build from validated data: documents[kind][id] -> the file's data."""

        def build(kind: str, make: Any) -> Mapping[str, Any]:
            items = documents.get(kind, {})
            return MappingProxyType({key: make(items[key]) for key in sorted(items)})

        return cls(
            consortium=Consortium.from_dict(documents["consortium"]["consortium"]),
            credentials=build("credential", Credential.from_dict),
            rubrics=build("rubric", Rubric.from_dict),
            stacks=build("stack", Stack.from_dict),
            districts=build("district", District.from_dict),
            reviewers=tuple(Reviewer.from_dict(r) for r in documents["reviewers"]["reviewers"]["reviewers"]),
            earners=earners_of(documents.get("earners", {}).get("earners")),
        )

    @cached_property
    def _stacks_by_member(self) -> Mapping[str, tuple[Stack, ...]]:
        by_member: dict[str, list[Stack]] = {}
        for stack in self.stacks.values():
            for member in stack.members:
                by_member.setdefault(member, []).append(stack)
        return {k: tuple(v) for k, v in by_member.items()}

    @cached_property
    def _endorsed(self) -> Mapping[str, tuple[str, ...]]:
        out = {}
        for district in self.districts.values():
            ids = set(district.endorsed_credentials)
            for stack_id in district.endorsed_stacks:
                ids.update(self.stacks[stack_id].members)
            out[district.id] = tuple(sorted(ids))
        return out

    @cached_property
    def _endorsing(self) -> Mapping[str, tuple[District, ...]]:
        by_credential: dict[str, list[District]] = {}
        for district in sorted(self.districts.values(), key=lambda d: d.name):
            for credential_id in self._endorsed[district.id]:
                by_credential.setdefault(credential_id, []).append(district)
        return {k: tuple(v) for k, v in by_credential.items()}

    def stacks_of(self, credential_id: str) -> tuple[Stack, ...]:
        """The stacks a credential belongs to, by id."""
        return self._stacks_by_member.get(credential_id, ())

    def endorsed(self, district: District) -> tuple[str, ...]:
        """Ids of the credentials a district endorses, directly or through a stack, sorted."""
        return self._endorsed[district.id]

    def endorsing(self, credential_id: str) -> tuple[District, ...]:
        """Districts that endorse a credential, by name."""
        return self._endorsing.get(credential_id, ())

    def qualified(self, kind: str, credential: str | None = None) -> dict[str, str]:
        """login -> district of the active reviewers who may vote on a pull request, in roster order.

        For a proposal (kind "proposal") the curators; for a submission the assessors of its credential.
        """
        if kind == "proposal":
            return {r.login: r.district for r in self.reviewers if r.active and "curator" in r.roles}

        def members(stack: str) -> tuple[str, ...]:
            return self.stacks[stack].members if stack in self.stacks else ()

        return {r.login: r.district for r in self.reviewers if credential in r.assessed(members)}


def earners_of(data: Mapping[str, Any] | None) -> Mapping[str, str]:
    """catalog/earners.yml as casefolded login -> district; empty when the file is absent."""
    districts = (data or {}).get("districts", {})
    return MappingProxyType({login.casefold(): district for district in sorted(districts) for login in districts[district]})
