"""Starting a submission in the browser: each published credential's form to download, and GitHub's web editor.

GitHub opens a new file at `<repository>/new/<branch>/<folder>?filename=...&value=...` with that name and
text (offering a fork to whoever may not write to the repository), so a teacher needs nothing installed:
fill in the form there and propose the change, which opens the pull request.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from ..catalog.model import Consortium, Credential
from ..catalog.submissionform import header, submission_form

LOGIN = "your-github-login"


def form(credential: Credential, attestation: Mapping[str, str]) -> str:
    """The credential's submission form with placeholders: every question, word limit and work example, commented."""
    earner = {"login": LOGIN, "district": "your-district"}
    pre_approval = {"reference": "", "approved_on": ""}
    confirmed = {key: (False, description) for key, description in attestation.items()}
    data, emitter = submission_form(
        credential, f"{LOGIN}-{credential.id}-1", earner, "YYYY-MM-DD", pre_approval, confirmed, "", placeholders=True
    )
    note = "\nReplace your-github-login (in the id, under earner and in the file's name), your-district and the date."
    return emitter.dump(data, header(credential) + note)


def editor_link(consortium: Consortium, credential: Credential, text: str) -> str | None:
    """GitHub's web editor on a new file in submissions/<credential>/ holding `text`; None without a repository."""
    if consortium.repository is None:
        return None
    folder = f"submissions/{credential.id}"
    name = f"{LOGIN}-{credential.id}-1.yml"
    return f"{consortium.repository}/new/{quote(consortium.branch)}/{folder}?filename={quote(name, safe='')}&value={quote(text, safe='')}"
