"""What makes a submission incomplete by its own content, checked by `validate` and `check-pr` alike.

Every question of the credential answered within its word limit (MC310, MC311), every required
work example linked (MC312), nothing the credential does not ask for (MC313), and a resubmission
that follows the earner's own earlier submission for the same credential (MC319).

These rules read the file and the catalog only, and hold for as long as the file exists. What
depends on the moment of submitting (the credential still published and at the version answered,
the district's endorsement and pre-approval, the prerequisites' badges on the base branch) is
`check-pr`'s: a merged submission stays valid when its credential is retired or its district
changes what it endorses.

The file need not be schema-valid: a scaffold with one bad link still hears which answers are
missing. Each value is read only when it has the shape the rule needs; the schema reports the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode

from .load import Document
from .problems import Problem, json_path
from .store import Store

QUESTION_PARTS = ("overview", "reflection")
_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def semver(version: str) -> tuple[int, ...] | None:
    match = _SEMVER.fullmatch(version)
    return tuple(int(part) for part in match.groups()) if match else None


def answers_current(version: Any, credential: dict[str, Any]) -> bool:
    """Whether a submission of `version` answers the credential's current requirements (same major version, not newer)."""
    answered = semver(version) if isinstance(version, str) else None
    current = semver(credential["version"])
    return answered is None or current is None or (answered[0] == current[0] and answered <= current)


def content(doc: Document, store: Store, any_version: bool = False) -> Iterator[Problem]:
    """The content rules; the answers are held against the credential only when they answer its current version, unless `any_version`."""
    credential_id = doc.data.get("credential")
    credential = store.valid("credential", credential_id) if isinstance(credential_id, str) else None
    if credential is None:
        return  # unknown or invalid: validation reports it
    if any_version or answers_current(doc.data.get("version"), credential):
        asked = as_asked(doc.data, credential)
        yield from answers(doc, asked)
        yield from artifacts(doc, asked)
    yield from resubmission(store, doc)
    yield from resubmission(store, doc, "renews")


def as_asked(data: dict[str, Any], credential: dict[str, Any]) -> dict[str, Any]:
    """The credential as a submission answers it: a renewal, where the credential defines one, answers only its renewal part."""
    renewal = credential.get("renewal")
    if not data.get("renews") or not isinstance(renewal, dict):
        return credential
    again = set(renewal.get("artifacts", []))
    kept = [a | {"required": True} for a in credential["submission"]["artifacts"] if a["id"] in again]
    return credential | {"submission": {"overview": [], "artifacts": kept, "reflection": renewal["reflection"]}}


def _mapping(doc: Document, key: str) -> dict[str, Any] | None:
    """The mapping under a top-level key: {} when absent, None when it is something else (the schema says what)."""
    value = doc.data.get(key, {})
    return value if isinstance(value, dict) else None


def _missing(doc: Document, code: str, message: str, part: str, item: str) -> Problem:
    """A problem about an answer that is absent: shown at its part's key, or the top of the file."""
    line, column = doc.locate((), part) if part in doc.data else (1, 1)
    return Problem(doc.path, line, column, code, message, json_path((part, item)))


def _unknown(doc: Document, credential_id: str, part: str, known: set[str], what: str) -> Iterator[Problem]:
    """MC313 at each key of a part that `known` lacks ("{credential} asks {what} {key}"), placed in one pass however many."""
    extra = [key for key in doc.data.get(part, {}) if key not in known]
    if not extra:
        return
    root = yaml.compose(doc.text, Loader=yaml.CSafeLoader)  # the file parsed already: no alias, no undue depth
    node = (
        next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == part), None) if isinstance(root, MappingNode) else None
    )
    keys = node.value if isinstance(node, MappingNode) else []
    places = {k.value: (k.start_mark.line + 1, k.start_mark.column + 1) for k, _ in keys if isinstance(k, ScalarNode)}
    for key in extra:
        line, column = places.get(key, (1, 1))
        message = f"incomplete: {credential_id} asks {what} {key!r}"
        yield Problem(doc.path, line, column, "MC313", message, json_path((part, key)))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def answers(doc: Document, credential: dict[str, Any]) -> Iterator[Problem]:
    for part in QUESTION_PARTS:
        given = _mapping(doc, part)
        if given is None:
            continue
        questions = credential["submission"].get(part, [])
        for question in questions:
            qid, answer, limit = question["id"], given.get(question["id"]), question["word_limit"]
            if answer is not None and not isinstance(answer, str):
                continue  # a list or a number: the schema reports it
            if answer is None or not answer.strip():
                message = (
                    f"incomplete: the {part} question {qid!r} has no answer; "
                    f"answer it in at most {limit} words: {_one_line(question['prompt'])}"
                )
                yield _missing(doc, "MC310", message, part, qid) if qid not in given else doc.problem("MC310", message, (part, qid))
                continue
            words = len(answer.split())
            if words > limit:
                message = f"incomplete: the answer to the {part} question {qid!r} has {words} words; the limit is {limit}"
                yield doc.problem("MC311", message, (part, qid))
        asked = {q["id"] for q in questions}
        yield from _unknown(doc, credential["id"], part, asked, f"no {part} question")


def artifacts(doc: Document, credential: dict[str, Any]) -> Iterator[Problem]:
    """Every required work example has an entry; an entry's blank link or description is the schema's to report."""
    given = _mapping(doc, "artifacts")
    if given is None:
        return
    wanted = credential["submission"]["artifacts"]
    for artifact in wanted:
        if artifact.get("required", True) and given.get(artifact["id"]) is None:
            message = f"incomplete: the required artifact {artifact['id']!r} ({artifact['title']}) has no link and description"
            if artifact["id"] in given:
                yield doc.problem("MC312", message, ("artifacts", artifact["id"]))
            else:
                yield _missing(doc, "MC312", message, "artifacts", artifact["id"])
    known = {a["id"] for a in wanted}
    yield from _unknown(doc, credential["id"], "artifacts", known, "for no artifact")


def _login(data: Any) -> str | None:
    earner = data.get("earner") if isinstance(data, dict) else None
    login = earner.get("login") if isinstance(earner, dict) else None
    return login if isinstance(login, str) else None


def resubmission(store: Store, doc: Document, key: str = "resubmission") -> Iterator[Problem]:
    """A resubmission (or a renewal, `key` "renews") follows the earner's own earlier submission for the same credential."""
    given = doc.data.get(key)
    earlier_id = given.get("of") if isinstance(given, dict) else given if key == "renews" else None
    if not isinstance(earlier_id, str):
        return
    what = "a renewal" if key == "renews" else "a resubmission"
    where: tuple[str, ...] = (key,) if key == "renews" else (key, "of")
    if earlier_id == doc.data.get("id"):
        yield doc.problem("MC319", f"incomplete: {what} names the earlier submission, not itself", where)
        return
    earlier = store.valid("submission", earlier_id)
    login, credential = _login(doc.data), doc.data.get("credential")
    if earlier is None or login is None or "earner" not in earlier:
        return  # unknown (MC223), invalid (validation reports it), or relayed for blind review: no earner to compare
    if earlier["earner"]["login"].lower() != login.lower() or earlier["credential"] != credential:
        message = (
            f"incomplete: {earlier_id} is {earlier['earner']['login']}'s submission for {earlier['credential']}; "
            f"{what} follows {login}'s own earlier submission for {credential}"
        )
        yield doc.problem("MC319", message, where)
