"""Open Badges 3.0 documents: the issuer Profile and the AchievementCredential of a badge, unsigned.

mint signs a credential with `vc.sign`. The achievement of a credential badge is the BadgeClass's
credential version (the same id); its rubric becomes `resultDescription` (one per criterion, with the
levels as RubricCriterionLevel) and the approving reviewers' levels become the subject's `result`.

CEUs: `creditsAvailable` is what the earner's own district grants for the credential (its CEU rate
applied to the credential's estimated hours), and is left out when that district grants no CEUs or no
longer endorses the credential. Rates differ between districts, and the earner's district is the one
that awards the units for this badge; another district's rate would be a claim the issuer cannot make.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..catalog.incentives import award
from ..catalog.model import Catalog, Consortium, Credential, Rubric
from ..catalog.records import Record
from .ob2 import Completed, Document, criteria_narrative, results, review_narrative, stack_class
from .urls import Urls, image

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
TYPE = ["VerifiableCredential", "OpenBadgeCredential"]


def profile(consortium: Consortium, urls: Urls) -> Document:
    """The issuer's OB 3.0 Profile, published at badges/issuer-v3.json (its keys at badges/keys.json beside it)."""
    doc: Document = {"@context": CONTEXT, **_issuer(consortium, urls)}
    if consortium.description:
        doc["description"] = " ".join(consortium.description.split())
    return doc


def _issuer(consortium: Consortium, urls: Urls) -> Document:
    return {"id": urls.issuer_v3, "type": ["Profile"], "name": consortium.name, "url": consortium.url, "email": consortium.email}


def _image(url: str, caption: str) -> Document:
    return {"id": url, "type": "Image", "caption": caption}


def _level_id(achievement: str, criterion: str, level: str) -> str:
    return f"{achievement}#{criterion}/{level}"


def result_descriptions(rubric: Rubric, achievement: str) -> list[Document]:
    """One ResultDescription per rubric criterion: its levels, and the lowest level that meets the bar."""
    out = []
    meeting = [level.id for level in rubric.levels if level.meets]
    for c in rubric.criteria:
        levels = [
            {"id": _level_id(achievement, c.id, level.id), "type": ["RubricCriterionLevel"], "name": level.label}
            | ({"description": " ".join(c.descriptors[level.id].split())} if level.id in c.descriptors else {})
            for level in rubric.levels
        ]
        out.append(
            {
                "id": f"{achievement}#{c.id}",
                "type": ["ResultDescription"],
                "name": c.title,
                "resultType": "RubricCriterionLevel",
                "requiredLevel": _level_id(achievement, c.id, meeting[-1]),
                "rubricCriterionLevel": levels,
            }
        )
    return out


def _alignment(credential: Credential, urls: Urls) -> list[Document]:
    out = []
    for a in credential.alignment:
        item: Document = {"type": ["Alignment"], "targetName": a.name, "targetUrl": a.url or urls.credential_page(credential.id)}
        item["targetFramework"] = a.framework
        if a.code:
            item["targetCode"] = a.code
        out.append(item)
    return out


def credits_available(catalog: Catalog, credential: Credential, district_id: str) -> float | None:
    """The CEUs the earner's district grants for the credential, when it grants any and endorses the credential."""
    district = catalog.districts.get(district_id)
    if district is None or district.incentives.ceus is None or credential.id not in catalog.endorsed(district):
        return None
    return award(district, credential).ceus or None


def achievement(credential: Credential, rubric: Rubric, urls: Urls, credits: float | None) -> Document:
    """The Achievement of one credential version: a MicroCredential with its rubric as result descriptions."""
    url = urls.badge_class(credential.id, credential.version)
    doc: Document = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": " ".join(credential.competency.split()),
        "criteria": {"id": urls.credential_page(credential.id), "narrative": criteria_narrative(credential, rubric)},
        "image": _image(image(url), credential.title),
        "version": credential.version,
    }
    if credits is not None:
        doc["creditsAvailable"] = credits
    if credential.alignment:
        doc["alignment"] = _alignment(credential, urls)
    if credential.tags:
        doc["tag"] = list(credential.tags)
    doc["resultDescription"] = result_descriptions(rubric, url)
    return doc


def _subject(recipient: Mapping[str, Any]) -> Document:
    """The 2.0 recipient as an AchievementSubject: a hashed email as an identifier, a profile URL as the id."""
    if recipient["type"] == "email":
        identity = {"type": "IdentityObject", "identityHash": recipient["identity"], "identityType": "emailAddress", "hashed": True}
        return {"type": ["AchievementSubject"], "identifier": [identity | {"salt": recipient["salt"]}]}
    return {"id": recipient["identity"], "type": ["AchievementSubject"]}


def _evidence(items: list[Mapping[str, Any]]) -> list[Document]:
    return [{**item, "type": ["Evidence"]} for item in items]


def credential(
    name: str,
    assertion: Mapping[str, Any],
    credential_: Credential,
    rubric: Rubric,
    record: Record,
    catalog: Catalog,
    urls: Urls,
) -> Document:
    """The AchievementCredential twin of a credential badge's 2.0 assertion (same uuid, recipient, date and evidence)."""
    achieved = achievement(credential_, rubric, urls, credits_available(catalog, credential_, record.district))
    subject = _subject(assertion["recipient"])
    subject["achievement"] = achieved
    subject["narrative"] = review_narrative(record, rubric)
    subject["result"] = [
        {"type": ["Result"], "resultDescription": f"{achieved['id']}#{r.criterion.id}"}
        | {"achievedLevel": _level_id(achieved["id"], r.criterion.id, r.level.id)}
        for r in results(rubric, record.rounds[-1])
        if r.level is not None
    ]
    return _wrap(name, credential_.title, assertion, catalog.consortium, urls, subject)


def stack_credential(name: str, assertion: Mapping[str, Any], done: Completed, catalog: Catalog, urls: Urls) -> Document:
    """The AchievementCredential twin of a stack badge."""
    url = urls.stack_class(done.stack.id)
    criteria = stack_class(done.stack, catalog, urls)["criteria"]
    achieved: Document = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "ext:MicroCredentialStack",
        "name": done.stack.title,
        "description": " ".join(done.stack.summary.split()),
        "criteria": criteria,
        "image": _image(image(url), done.stack.title),
    }
    if done.stack.tags:
        achieved["tag"] = list(done.stack.tags)
    subject = _subject(assertion["recipient"]) | {"achievement": achieved, "narrative": assertion["narrative"]}
    return _wrap(name, done.stack.title, assertion, catalog.consortium, urls, subject)


def _wrap(name: str, title: str, assertion: Mapping[str, Any], consortium: Consortium, urls: Urls, subject: Document) -> Document:
    return {
        "@context": CONTEXT,
        "id": urls.credential(name),
        "type": TYPE,
        "name": title,
        "issuer": _issuer(consortium, urls),
        "validFrom": assertion["issuedOn"],
        "awardedDate": assertion["issuedOn"],
        "credentialSubject": subject,
        "evidence": _evidence(assertion["evidence"]),
    } | ({"validUntil": assertion["expires"]} if "expires" in assertion else {})
