"""Open Badges 2.0 documents for a catalog, and which stacks an earner has completed: pure and deterministic.

Every id is an absolute URL under the site's `badges/` folder, so hosted verification (same origin as
the issuer) holds wherever the site is published. Documents are plain dicts whose keys are inserted in
a fixed order; `dump` turns one into the exact bytes mint writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..catalog.model import Catalog, Consortium, Credential, Criterion, Level, Rubric, Stack
from ..catalog.output import json_text
from ..catalog.records import Record, Round
from .urls import Urls, assertion_url, image

CONTEXT = "https://w3id.org/openbadges/v2"
Document = dict[str, Any]


def dump(document: Mapping[str, Any]) -> bytes:
    """The bytes of a badge document: keys in their given order, two-space indent, UTF-8, one final newline."""
    return json_text(document).encode("utf-8")


def _words(text: str) -> str:
    return " ".join(text.split())


def issuer(consortium: Consortium, urls: Urls) -> Document:
    """The issuer Profile, with its verification policy and its revocation list.

    The policy (an OB 2.0 VerificationObject) says that this issuer's hosted assertions sit under its own
    `badges/assertions/` (and its badge sites'), so a badge hosted elsewhere on the same origin (another
    project of a shared static host) is not this issuer's.
    """
    doc: Document = {"@context": CONTEXT, "type": "Issuer", "id": urls.issuer, "name": consortium.name, "url": consortium.url}
    doc["email"] = consortium.email
    if consortium.description:
        doc["description"] = _words(consortium.description)
    doc["verification"] = policy(urls)
    doc["revocationList"] = urls.revocations
    return doc


def policy(urls: Urls) -> Document:
    """Where this issuer's hosted assertions may be: one `startsWith` prefix on one origin, else the origins.

    Open Badges 2.0 verifiers (the 1EdTech validator among them) read a single `startsWith`, so the assertions
    of several sites on one origin share the longest prefix that ends a path segment; sites on several
    origins are named by `allowedOrigins` alone.
    """
    prefixes = [f"{site}badges/assertions/" for site in urls.bases]
    origins = sorted({urlsplit(prefix).netloc for prefix in prefixes})
    if len(origins) > 1:
        return {"type": "VerificationObject", "allowedOrigins": origins}
    segments = [prefix.split("/")[:-1] for prefix in prefixes]  # each prefix ends with "/"
    common = 0
    for column in zip(*segments, strict=False):
        if len(set(column)) > 1:
            break
        common += 1
    return {"type": "VerificationObject", "startsWith": "/".join(segments[0][:common]) + "/"}


def allows(verification: object, issuer_id: str, url: str) -> bool:
    """Whether an issuer's verification policy accepts a hosted assertion at `url` (without a policy: the issuer's origin)."""
    rule = verification if isinstance(verification, dict) else {}
    starts, origins = rule.get("startsWith"), rule.get("allowedOrigins")
    host = urlsplit(url).netloc
    if starts is None and origins is None:
        return host == urlsplit(issuer_id).netloc
    starts_ok = starts is None or any(url.startswith(p) for p in ([starts] if isinstance(starts, str) else starts) if isinstance(p, str))
    origins_ok = origins is None or host in ([origins] if isinstance(origins, str) else origins)
    return starts_ok and origins_ok


def widened(published: Mapping[str, Any], urls: Urls) -> Document | None:
    """The published issuer with a policy that also accepts every badge site's assertions, or None when it already does.

    A published policy is only ever widened: a badge it accepts stays accepted.
    """
    verification = published.get("verification")
    if all(allows(verification, str(published.get("id")), f"{site}badges/assertions/") for site in urls.bases):
        return None
    rule = policy(urls)
    kept = verification.get("allowedOrigins") if isinstance(verification, dict) else None
    if kept:  # origins allowed before stay allowed
        ours = rule.get("allowedOrigins") or [urlsplit(rule["startsWith"]).netloc]
        rule = {"type": "VerificationObject", "allowedOrigins": sorted({*ours, *([kept] if isinstance(kept, str) else kept)})}
    return {**published, "verification": rule}


def revocation_list(urls: Urls, revoked: Iterable[Mapping[str, str]] = ()) -> Document:
    """The RevocationList: each entry {id, revocationReason}."""
    entries = [dict(entry) for entry in revoked]
    return {"@context": CONTEXT, "type": "RevocationList", "id": urls.revocations, "issuer": urls.issuer, "revokedAssertions": entries}


def passing(rubric: Rubric) -> tuple[Level, ...]:
    """The levels that meet the bar, in the rubric's order."""
    return tuple(level for level in rubric.levels if level.meets)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def criteria_narrative(credential: Credential, rubric: Rubric) -> str:
    """How the badge is earned: the evidence asked for, who scores it, the earning rule, each criterion's passing levels."""
    titles = "; ".join(a.title for a in credential.artifacts)
    parts = [f"answers to {_count(len(credential.overview), 'overview question', 'overview questions')}"]
    parts.append(f"{_count(len(credential.artifacts), 'work example', 'work examples')} ({titles})")
    if credential.reflection:
        parts.append(_count(len(credential.reflection), "reflection", "reflections"))
    lines = [
        f"Submit evidence from your own teaching: {', '.join(parts[:-1])} and {parts[-1]}.",
        f'Two trained reviewers score it against the public rubric "{rubric.title}", and a third breaks a tie. {rubric.earning_rule}',
        "",
        "Criteria, and the levels that meet each:",
        "",
    ]
    labels = " or ".join(level.label for level in passing(rubric))
    lines += [f"- {c.title}: {labels}" for c in rubric.criteria]
    return "\n".join(lines) + "\n"


def _alignment(credential: Credential, urls: Urls) -> list[Document]:
    out = []
    for a in credential.alignment:
        # Open Badges requires a targetUrl; without one of its own, the credential's page (which names it) stands in.
        item: Document = {"targetName": a.name, "targetUrl": a.url or urls.credential_page(credential.id), "targetFramework": a.framework}
        if a.code:
            item["targetCode"] = a.code
        out.append(item)
    return out


def badge_class(credential: Credential, rubric: Rubric, urls: Urls) -> Document:
    """The BadgeClass of one credential version: criteria link the credential's page and narrate its rubric."""
    url = urls.badge_class(credential.id, credential.version)
    doc: Document = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": url,
        "name": credential.title,
        "description": _words(credential.competency),
        "image": image(url),
        "criteria": {"id": urls.credential_page(credential.id), "narrative": criteria_narrative(credential, rubric)},
        "issuer": urls.issuer,
    }
    if credential.alignment:
        doc["alignment"] = _alignment(credential, urls)
    if credential.tags:
        doc["tags"] = list(credential.tags)
    return doc


def stack_class(stack: Stack, catalog: Catalog, urls: Urls) -> Document:
    """The BadgeClass of a stack: earned by holding a badge of every member."""
    url = urls.stack_class(stack.id)
    members = [f"- {catalog.credentials[m].title}" if m in catalog.credentials else f"- {m}" for m in stack.members]
    narrative = "Hold a badge of every micro-credential of the stack, each earned and not revoked:\n\n" + "\n".join(members) + "\n"
    doc: Document = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": url,
        "name": stack.title,
        "description": _words(stack.summary),
        "image": image(url),
        "criteria": {"id": urls.stack_page(stack.id), "narrative": narrative},
        "issuer": urls.issuer,
    }
    if stack.tags:
        doc["tags"] = list(stack.tags)
    return doc


def recipient(submission: Mapping[str, Any]) -> Document:
    """The hashed email of the submission when it has one, else the earner's GitHub profile URL."""
    earner = submission["earner"]
    if "email_hash" in earner:
        return {"type": "email", "hashed": True, "salt": earner["email_salt"], "identity": earner["email_hash"]}
    return {"type": "url", "hashed": False, "identity": f"https://github.com/{earner['login']}"}


@dataclass(frozen=True)
class Result:
    """One criterion as the approving reviewers of the deciding round scored it."""

    criterion: Criterion
    level: Level | None  # None: no approving reviewer scored it
    count: int  # approving reviewers who gave that level
    of: int  # approving reviewers


def approvals(round_: Round) -> int:
    return sum(review.verdict == "approved" for review in round_.reviews)


def results(rubric: Rubric, round_: Round) -> tuple[Result, ...]:
    """Per criterion, the level most approving reviewers gave; a tie goes to the level listed first in the rubric."""
    approving = [review for review in round_.reviews if review.verdict == "approved"]
    order = {level.id: i for i, level in enumerate(rubric.levels)}
    out = []
    for c in rubric.criteria:
        counts = Counter(review.scores[c.id] for review in approving if c.id in review.scores)
        if not counts:
            out.append(Result(c, None, 0, len(approving)))
            continue
        best = min(counts, key=lambda level_id: (-counts[level_id], order.get(level_id, len(order)), level_id))
        level = next((lv for lv in rubric.levels if lv.id == best), Level(best, best, False))
        out.append(Result(c, level, counts[best], len(approving)))
    return tuple(out)


def decision(record: Record, rubric: Rubric) -> str:
    """The deciding round in one sentence: how many approved, after a resubmission or a tie-break, against which rubric."""
    last = record.rounds[-1]
    reviewers = len(last.reviews)
    line = f"Approved by {approvals(last)} of {reviewers} reviewer{'s' if reviewers != 1 else ''}"
    if len(record.rounds) > 1:
        line += f" in round {len(record.rounds)} of {len(record.rounds)}, after a resubmission"
    if last.tiebreak:
        line += ", a third reviewer breaking a tie"
    return f'{line}, against the public rubric "{rubric.title}".'


def review_narrative(record: Record, rubric: Rubric) -> str:
    """The decision and the per-criterion rubric results, in words."""
    lines = [f"{decision(record, rubric)} Results given by the approving reviewers:", ""]
    for r in results(rubric, record.rounds[-1]):
        lines.append(f"- {r.criterion.title}: {r.level.label} ({r.count} of {r.of})" if r.level else f"- {r.criterion.title}: not scored")
    return "\n".join(lines) + "\n"


def evidence(
    submission: Mapping[str, Any], credential: Credential, rubric: Rubric, record: Record, links: Mapping[str, str]
) -> list[Document]:
    """The review (per-criterion results, number of reviewers, the pull request), the submission, then each work example.

    `links` may hold "pull_request" and "submission": the URLs where they are published. Without its
    address an item still says what it is.
    """
    review: Document = {"type": "Evidence"}
    if "pull_request" in links:
        review["id"] = links["pull_request"]
    review["name"] = f"Review in pull request #{record.pull_request}" if record.pull_request else "Review"
    review["description"] = "The reviewers' verdicts, scored against the public rubric before the submission was merged."
    out = [review | {"narrative": review_narrative(record, rubric), "genre": "Review"}]
    item: Document = {"type": "Evidence"}
    if "submission" in links:
        item["id"] = links["submission"]
    item |= {"name": f"Submission {submission['id']}", "description": "The earner's answers and links to their work, as merged."}
    out.append(item | {"genre": "Submission"})
    titles = {a.id: a.title for a in credential.artifacts}
    given: Mapping[str, Mapping[str, str]] = submission["artifacts"]
    ordered = [a.id for a in credential.artifacts if a.id in given] + sorted(k for k in given if k not in titles)
    for key in ordered:
        entry = given[key]
        out.append(
            {
                "type": "Evidence",
                "id": entry["url"],
                "name": titles.get(key, key),
                "description": _words(entry["description"]),
                "audience": "The earner's district and the reviewers; the storage is access-controlled.",
            }
        )
    return out


def assertion(
    name: str, submission: Mapping[str, Any], credential: Credential, rubric: Rubric, record: Record, urls: Urls, links: Mapping[str, str]
) -> Document:
    """The hosted Assertion of a submission's badge, issued when the approved pull request was merged.

    It names no image: Open Badges 2.0 defines the unbaked image in the BadgeClass and asks assertions not to
    repeat it, and a baked one is made on demand (`microcred bake`, or the badge's page) instead of stored per badge.
    """
    url = urls.assertion(name)
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": recipient(submission),
        "badge": urls.badge_class(credential.id, submission["version"]),
        "verification": {"type": "HostedBadge"},
        "issuedOn": record.merged_at,
        "narrative": f"{decision(record, rubric)} The review evidence gives the result of each criterion.",
        "evidence": evidence(submission, credential, rubric, record, links) + renewed(submission, urls, links),
    } | ({"expires": credential.valid_for.until(record.merged_at)} if credential.valid_for else {})


def renewed(submission: Mapping[str, Any], urls: Urls, links: Mapping[str, str] | None = None) -> list[Document]:
    """A renewal's link to the badge it renews (as published: `links["renews"]`), which stays valid until its own expiry."""
    if "renews" not in submission:
        return []
    url = (links or {}).get("renews") or assertion_url(urls.site_url, submission["credential"], submission["renews"])
    return [{"type": "Evidence", "id": url, "name": f"Renews the badge for {submission['renews']}", "genre": "Renewal"}]


@dataclass(frozen=True)
class Held:
    """A credential badge an earner holds (minted and not revoked)."""

    login: str  # lower case
    credential: str
    submission: str
    assertion: str  # its URL
    issued_on: str
    recipient: Mapping[str, Any]


@dataclass(frozen=True)
class Completed:
    """An earner who holds every member of a stack: the member badges in the stack's order."""

    stack: Stack
    login: str
    members: tuple[Held, ...]

    @property
    def last(self) -> Held:
        """The badge that completed the stack: its date and recipient are the stack badge's."""
        return max(self.members, key=lambda h: (h.issued_on, h.submission))


def completed(catalog: Catalog, held: Iterable[Held]) -> list[Completed]:
    """Every (stack, earner) whose members are all held, by stack then login; the earliest badge of a credential counts."""
    by_login: dict[str, dict[str, Held]] = {}
    for h in sorted(held, key=lambda h: (h.issued_on, h.submission)):
        by_login.setdefault(h.login, {}).setdefault(h.credential, h)
    out = []
    for stack in catalog.stacks.values():
        for login in sorted(by_login):
            badges = by_login[login]
            if all(m in badges for m in stack.members):
                out.append(Completed(stack, login, tuple(badges[m] for m in stack.members)))
    return out


def stack_assertion(name: str, done: Completed, catalog: Catalog, urls: Urls) -> Document:
    """The Assertion of a stack badge; the member badges are its evidence."""
    url = urls.assertion(name)
    title = {c: catalog.credentials[c].title for c in done.stack.members if c in catalog.credentials}
    lines = [f"- {title.get(h.credential, h.credential)}, issued {h.issued_on[:10]}" for h in done.members]
    narrative = f'Holds a badge of every micro-credential of the stack "{done.stack.title}":\n\n' + "\n".join(lines) + "\n"
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": dict(done.last.recipient),
        "badge": urls.stack_class(done.stack.id),
        "verification": {"type": "HostedBadge"},
        "issuedOn": done.last.issued_on,
        "narrative": narrative,
        "evidence": [
            {"type": "Evidence", "id": h.assertion, "name": title.get(h.credential, h.credential), "genre": "Badge"} for h in done.members
        ],
    }
