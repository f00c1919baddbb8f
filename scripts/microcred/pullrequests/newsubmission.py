"""`microcred new submission`: a submission file with a place for every answer the credential asks for."""

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..badges.urls import UUID, Urls, assertion_uuid
from ..catalog.completeness import as_asked
from ..catalog.model import Credential, earners_of
from ..catalog.submissionform import header, submission_form
from ..catalog.validate import UsageError
from .prompts import Prompter
from .recipient import hash_email
from .scaffold import Outcome, Repo, checked, date_check, one_of, pull_request_step, refuse_existing, slugify, write_new
from .todo import still_to_do, submission_todo

# --------------------------------------------------------------------------- new submission


def new_submission(
    root: Path,
    ask: Prompter,
    credential_id: str,
    *,
    submission_id: str | None = None,
    login: str | None = None,
    district: str | None = None,
    email: str | None = None,
    on: str | None = None,
    approval: str | None = None,
    approved_on: str | None = None,
    force: bool = False,
    renew: str | None = None,
) -> Outcome:
    repo = Repo(root)
    schema = repo.schema
    renewed = _renewed(repo, renew) if renew is not None else None
    if renewed is not None:
        if credential_id and credential_id != renewed["credential"]:
            raise UsageError(f"--renew {renew}: that badge is for {renewed['credential']!r}, not {credential_id!r}")
        credential_id = renewed["credential"]
        login = login or renewed["earner"]["login"]
        district = district or renewed["earner"]["district"]
    if not credential_id:
        raise UsageError("give the micro-credential's id, or --renew BADGE")
    credential_path, credential = repo.credential(credential_id)
    if credential["status"] != "published":
        raise UsageError(f"{credential_id!r} is {credential['status']} ({credential_path}): it is not open for submissions")

    login_check = schema.checker("submission", ("earner", "login"), "a GitHub login")
    if login is None:
        known = repo.git_config("github.user")
        login = ask.text("Your GitHub login", known if login_check(known) is None else "", login_check, required=True)
    if not checked(login, login_check, "--login"):
        raise UsageError("give your GitHub login with --login")

    consortium = repo.store.valid("consortium", "consortium")
    members = list(consortium["members"]) if consortium else sorted(repo.listing.ids("district"))
    if district is None:
        district = ask.choose("Your district", members, members[0] if len(members) == 1 else "", required=True)
    if not one_of(district, members, "--district"):
        raise UsageError(f"give your district with --district (one of {', '.join(members)})")

    id_check = schema.checker("submission", ("id",), "an id")
    if submission_id is None:
        submission_id = ask.text("Submission id", _next_id(repo, login, credential_id), id_check, required=True)
    checked(submission_id, id_check, "--id")
    rel = f"submissions/{credential_id}/{submission_id}.yml"
    elsewhere = [p for p in repo.listing.paths("submission", submission_id) if p != rel]
    if elsewhere:
        raise UsageError(f"the submission id {submission_id!r} is taken by {elsewhere[0]}; choose another with --id")
    refuse_existing(root, rel, force)

    day_check = date_check(schema)
    submitted_on = checked(on or dt.date.today().isoformat(), day_check, "--date")

    district_data = repo.store.valid("district", district) or {}
    district_name = district_data.get("name", district)
    pre_approval = None
    if district_data.get("pre_approval", {}).get("required") or approval or approved_on:
        reference_check = schema.checker("submission", ("pre_approval", "reference"), "a reference")
        if approval is None:
            approval = ask.text(f"{district_name} requires pre-approval: its reference (Enter to fill in later)", "", reference_check)
        if approved_on is None:
            approved_on = ask.text("The day it was approved (YYYY-MM-DD; Enter to fill in later)", "", day_check)
        pre_approval = {
            "reference": checked(approval, reference_check, "--approval"),
            "approved_on": checked(approved_on, day_check, "--approved-on"),
        }

    earner: dict[str, Any] = {"login": login, "district": district}
    hashed = _earner_email(ask, email, district_data.get("recipient_salt"))
    if hashed is not None:
        earner["email_hash"], earner["email_salt"] = hashed

    attestation_schema, _ = schema.at("submission", ("attestation",))
    attestation = {}
    for key, prop in attestation_schema.get("properties", {}).items():
        attestation[key] = ask.confirm(f"Confirm: {prop.get('description', key)}")

    confirmed = {key: (value, schema.at("submission", ("attestation", key))[1]) for key, value in attestation.items()}
    model = Credential.from_dict(credential)
    asked = model
    if renewed is not None and model.renewal_reflection:  # the shorter renewal the credential defines
        kept = tuple(a for a in model.artifacts if a.id in model.renewal_artifacts)
        asked = replace(model, overview=(), artifacts=kept, reflection=model.renewal_reflection)
    data, emitter = submission_form(asked, submission_id, earner, submitted_on, pre_approval, confirmed, district_name)
    if renewed is not None:
        data = {**dict(list(data.items())[:5]), "renews": renewed["id"], **dict(list(data.items())[5:])}
        emitter.comments[("renews",)] = "The submission whose badge this renews; that badge stays valid until it expires."
    text = emitter.dump(data, header(model))
    write_new(root, rel, text, force)
    todo = still_to_do(root, schema, [rel], {rel: submission_todo(as_asked(data, credential), data, text)})
    pull_request = pull_request_step(root, ("submission", "earn"))
    listed = earners_of(repo.store.valid("earners", "earners")).get(login.casefold())
    notes = []
    if listed != district:
        where = f"under {listed}, not {district}" if listed else "under no district"
        notes.append(
            f"catalog/earners.yml lists {login} {where}: the pull request is refused (MC307) until your district "
            "has a maintainer list your login under it"
        )
    title = f"Renewal {submission_id} of {renewed['id']}" if renewed else f"Submission {submission_id}"
    return Outcome([rel], todo, f"submission/{submission_id}", f"{title} for {credential_id}", pull_request, notes)


def _renewed(repo: Repo, badge: str) -> dict[str, Any]:
    """The submission whose minted badge `badge` names: by its uuid (or an address holding it), or by the submission's id."""
    consortium = repo.store.valid("consortium", "consortium") or {}
    site_url = str(consortium.get("site_url", ""))
    found = UUID.search(badge)
    for name in sorted(repo.listing.ids("submission")):
        submission = repo.store.valid("submission", name)
        if submission is None:
            continue
        uuid = assertion_uuid(site_url, submission["credential"], name)
        if (found and found.group() == uuid) or (not found and badge == name):
            if not (repo.root / Urls(site_url).path(Urls(site_url).assertion(uuid))).is_file():
                raise UsageError(f"--renew {badge}: the submission {name} has no minted badge to renew")
            return submission
    raise UsageError(f"--renew {badge}: no minted badge of this catalog has that id; give the badge's id from its page")


def _next_id(repo: Repo, login: str, credential_id: str) -> str:
    taken = repo.listing.ids("submission")
    base = f"{slugify(login)}-{credential_id}"
    n = 1
    while f"{base}-{n}" in taken or (repo.root / "submissions" / credential_id / f"{base}-{n}.yml").exists():
        n += 1
    return f"{base}-{n}"


def _earner_email(ask: Prompter, email: str | None, salt: str | None) -> tuple[str, str] | None:
    """The salted hash of the earner's address: with the district's salt when it has one, else a new one."""
    if email is not None:
        return hash_email(email, salt)
    while True:
        answer = ask.secret("Email address for your badge, kept only as a salted hash (not shown; Enter to skip)")
        if not answer:
            return None
        try:
            return hash_email(answer, salt)
        except UsageError as err:
            ask.warn(str(err).split(";")[0])
