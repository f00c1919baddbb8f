"""The submission form of a credential: every question, word limit and work example, as commented YAML.

One form for both ways of starting: `microcred new submission` fills in the earner and writes it, and each
credential page offers it to download and to open in GitHub's web editor, with placeholders to replace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Credential
from .yamltext import Emitter

HEADER = (
    'yaml-language-server: $schema=../../schemas/submission.schema.json\nSubmission for "{title}" '
    "({id} {version}). It holds text answers and links only: evidence stays in your "
    "district's access-controlled storage, and no student's name, face, voice or work goes in this file."
)


def submission_form(
    credential: Credential,
    submission_id: str,
    earner: dict[str, Any],
    submitted_on: str,
    pre_approval: dict[str, str] | None,
    attestation: Mapping[str, tuple[bool, str]],  # key -> (value, what it confirms)
    district_name: str,
    placeholders: bool = False,
) -> tuple[dict[str, Any], Emitter]:
    """The submission's data and the comments that go with it. With `placeholders`, comments say what to replace."""
    emitter = Emitter()
    data: dict[str, Any] = {
        "id": submission_id,
        "credential": credential.id,
        "version": credential.version,
        "earner": earner,
        "submitted_on": submitted_on,
    }
    if placeholders:
        emitter.comments[("id",)] = "Your GitHub login, then the credential, then 1 (2 for a second try); the file's name too."
        emitter.comments[("earner", "login")] = "Your GitHub login: the pull request must come from it."
        emitter.comments[("earner", "district")] = "Your district's id, as catalog/earners.yml lists you (see the Districts page)."
        emitter.comments[("submitted_on",)] = "Today, as YYYY-MM-DD."
    if "email_hash" in earner:
        emitter.comments[("earner", "email_hash")] = "Your email address as a salted hash (Open Badges): it cannot be read back."
    if pre_approval is not None:
        data["pre_approval"] = pre_approval
        emitter.comments[("pre_approval",)] = (
            f"{district_name} requires pre-approval: its reference and the day of approval (YYYY-MM-DD)."
            if not placeholders
            else "Only if your district requires pre-approval: its reference and the day (YYYY-MM-DD); else delete these lines."
        )
    data["overview"] = {q.id: "" for q in credential.overview}
    emitter.comments[("overview",)] = "Answer each question on the lines below its `|`, indented, within the word limit."
    for q in credential.overview:
        emitter.comments[("overview", q.id)] = f"{q.prompt.strip()}\n(at most {q.word_limit} words)"
        emitter.blocks.add(("overview", q.id))
    data["artifacts"] = {a.id: {"url": "https://", "description": ""} for a in credential.artifacts}
    emitter.comments[("artifacts",)] = (
        "A link to each work example in your district's access-controlled storage, never the file itself: "
        "opened in a private browser window, the link should ask for a sign-in."
    )
    for a in credential.artifacts:
        optional = "" if a.required else "\nOptional: delete this entry if you do not submit it."
        kinds = ", ".join(k.replace("-", " ") for k in a.kinds)
        emitter.comments[("artifacts", a.id)] = f"{a.title.strip()} ({kinds}): {a.description.strip()}{optional}"
    if credential.reflection:
        data["reflection"] = {q.id: "" for q in credential.reflection}
        for q in credential.reflection:
            emitter.comments[("reflection", q.id)] = f"{q.prompt.strip()}\n(at most {q.word_limit} words)"
            emitter.blocks.add(("reflection", q.id))
    data["attestation"] = {key: value for key, (value, _) in attestation.items()}
    emitter.comments[("attestation",)] = "Set each to true when it holds."
    for key, (_, description) in attestation.items():
        emitter.comments[("attestation", key)] = description
    return data, emitter


def header(credential: Credential) -> str:
    return HEADER.format(title=credential.title, id=credential.id, version=credential.version)
