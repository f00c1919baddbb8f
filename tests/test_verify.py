"""`microcred verify` against badges served over real HTTP on 127.0.0.1: every verdict and every failure in words."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from microcred.badges import vc
from microcred.badges.revoke import revoke
from microcred.cli import main
from microcred.verify.ob3check import SCHEMA
from microcred.verify.verify import SiteFolder, Unverifiable, png_payload, reference_dir, verify
from support import FIXTURES, REFERENCE, ROOT, Run, needs_reference

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PUBLISHED = "https://three-rivers.example.org/"
VALID = "badges/assertions/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.json"
REVOKED = "badges/assertions/c2e8b6f4-9a1d-4f37-b05e-6d4a3c1f8e92.json"
CLASS = "badges/classes/exit-tickets-1.0.0.json"
EMAIL = "jordan.avery@alder-creek.example.org"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
VALID_CHECKS = """\
  It is an Open Badges 2.0 document.
  Its id is the address it was fetched from.
  It names its recipient.
  The recipient's identity is a well-formed hash.
  The recipient's salt is a string.
  It uses hosted verification.
  It has a valid issue date.
  It was issued in the past.
  The badge class is an Open Badges 2.0 document.
  The badge class's id is the address it was fetched from.
  The badge class has a name, description, image, criteria and issuer.
  The issuer profile is an Open Badges 2.0 document.
  The issuer profile's id is the address it was fetched from.
  The issuer profile has a name, a website and an email address.
  The badge is hosted where the issuer's verification policy allows (startsWith).
  The badge class is on the issuer's site.
  The issuer's revocation list does not name this badge.
"""
ISSUER = "  Issuer: Three Rivers Educator Learning Consortium (ORIGIN/microcredentials/badges/issuer.json).\n"  # the 2.0 profile
ISSUER_3 = ISSUER.replace("issuer.json", "issuer-v3.json")  # the 3.0 profile of the first form
UNKNOWN = "  Issuer: unknown (the badge was not read far enough to name it).\n"


class _Handler(SimpleHTTPRequestHandler):
    """Static files, plus routes a test sets: a status, headers and a body (or a delay) for one path."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}  # noqa: RUF012 - replaced per server

    def do_GET(self) -> None:
        route = self.routes.get(self.path)
        if route is None:
            return super().do_GET()
        status, headers, body = route
        if status < 0:  # a server that drips its headers (-1) or its body (-2), a byte every `body` seconds
            return self._drip(status == -1, float(body))
        if status == 0:  # a server that never answers in time
            time.sleep(float(body))
            status, body = 200, b"{}"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def _drip(self, headers: bool, every: float) -> None:
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nX-Drip: "
            if headers
            else b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
        )
        until = time.monotonic() + 5  # a verifier without a deadline would wait these 5 seconds, then fail the test
        with contextlib.suppress(OSError):  # until the client goes
            while time.monotonic() < until:
                time.sleep(every)
                self.wfile.write(b"a" if headers else b" ")
        self.close_connection = True

    def guess_type(self, path: str | Any) -> str:
        return "application/jwt" if str(path).endswith(".jwt") else super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Site:
    """A folder served on 127.0.0.1, laid out as the site: the sample badges under /microcredentials/."""

    folder: Path
    origin: str
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)

    def url(self, rel: str) -> str:
        return f"{self.origin}/microcredentials/{rel}"

    def read(self, rel: str) -> dict[str, Any]:
        return dict(json.loads((self.folder / "microcredentials" / rel).read_text(encoding="utf-8")))

    def put(self, rel: str, data: dict[str, Any] | bytes | str) -> str:
        path = self.folder / "microcredentials" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = data if isinstance(data, bytes) else (data if isinstance(data, str) else json.dumps(data, indent=2)).encode()
        path.write_bytes(raw)
        return self.url(rel)

    def route(self, rel: str, status: int, body: bytes = b"", **headers: str) -> str:
        self.routes[f"/microcredentials/{rel}"] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        return self.url(rel)


class _Server(ThreadingHTTPServer):
    """Closing waits for every request being answered, so none outlives its test and writes into another's output."""

    daemon_threads = False
    block_on_close = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up (the timeout test) is expected
            super().handle_error(request, client_address)


def _serve(folder: Path) -> Iterator[Site]:
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = _Server(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(folder)))
    # A short poll interval: shutdown() waits for it, once per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield Site(folder, f"http://127.0.0.1:{server.server_address[1]}", routes)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The sample issuer, badge class and assertions, with their ids on this server, and the issuer's keys."""
    for served in _serve(tmp_path / "www"):
        shutil.copytree(FIXTURES / "badges", served.folder / "microcredentials" / "badges", ignore=shutil.ignore_patterns("*.md"))
        for path in (served.folder / "microcredentials").rglob("*.json"):
            path.write_text(path.read_text(encoding="utf-8").replace(PUBLISHED, f"{served.origin}/"), encoding="utf-8")
        served.put("badges/keys.json", vc.jwks([KEY]))
        yield served


def _text(site: Site, target: str, **options: Any) -> str:
    options.setdefault("now", NOW)
    return verify(target, **options).text().replace(site.origin, "ORIGIN")


def _credential(site: Site, **changes: Any) -> dict[str, Any]:
    raw = (FIXTURES / "verify" / "credential.json").read_text(encoding="utf-8").replace(PUBLISHED, f"{site.origin}/")
    return {**json.loads(raw), **changes}


def _png(payload: str | None, keyword: str = "openbadges") -> bytes:
    info = PngInfo()
    if payload is not None:
        info.add_itxt(keyword, payload)
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 160)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


# ---- Open Badges 2.0, hosted ----


def test_valid_assertion(site: Site) -> None:
    assert _text(site, site.url(VALID)) == f"VALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}{VALID_CHECKS}"


def test_a_badge_past_its_expiry_is_expired_with_the_date_and_invalid_when_more_is_wrong(site: Site) -> None:
    site.put(VALID, {**site.read(VALID), "expires": "2025-12-31T00:00:00Z"})
    assert _text(site, site.url(VALID)) == (
        f"EXPIRED: ORIGIN/microcredentials/{VALID}\n{ISSUER}"
        "  It expired on 2025-12-31T00:00:00Z.\n  Nothing else was found wrong: it was valid until then.\n"
    )
    assert _text(site, site.url(VALID), now=datetime(2025, 12, 30, tzinfo=UTC)).startswith("VALID: ")
    site.put(VALID, {**site.read(VALID), "issuedOn": "2027-01-01T00:00:00Z"})
    assert _text(site, site.url(VALID)).splitlines()[0] == f"INVALID: ORIGIN/microcredentials/{VALID}"


def test_revoked_in_the_hosted_document(site: Site) -> None:
    assert _text(site, site.url(REVOKED)) == (
        f"REVOKED: ORIGIN/microcredentials/{REVOKED}\n{UNKNOWN}"
        "  Revoked: Issued in error: the submission was scored against a draft version of the rubric.\n"
    )


def test_revoked_in_the_issuers_list(site: Site) -> None:
    revocations = site.read("badges/revocations.json")
    revocations["revokedAssertions"].append({"id": site.url(VALID), "revocationReason": "Plagiarised evidence."})
    site.put("badges/revocations.json", revocations)
    assert _text(site, site.url(VALID)) == f"REVOKED: ORIGIN/microcredentials/{VALID}\n{ISSUER}  Revoked: Plagiarised evidence.\n"


def test_gone_410_is_revoked(site: Site) -> None:
    gone = site.route("badges/assertions/gone.json", 410, b'{"revocationReason": "Withdrawn."}', Content_Type="application/json")
    assert _text(site, gone) == f"REVOKED: ORIGIN/microcredentials/badges/assertions/gone.json\n{UNKNOWN}  Revoked: Withdrawn.\n"


def test_assertion_on_another_origin(site: Site, tmp_path: Path) -> None:
    for other in _serve(tmp_path / "other"):
        other.put(VALID, {**site.read(VALID), "id": other.url(VALID)})
        assert _text(site, other.url(VALID)).replace(other.origin, "OTHER") == (
            f"INVALID: OTHER/microcredentials/{VALID}\n{ISSUER}"
            f"  The badge is not hosted where the issuer allows: its address OTHER/microcredentials/{VALID} does not start with "
            "ORIGIN/microcredentials/badges/assertions/.\n"
        )
        issuer = site.read("badges/issuer.json")
        del issuer["verification"]  # an issuer without a policy: its own origin only
        site.put("badges/issuer.json", issuer)
        assert _text(site, other.url(VALID)).replace(other.origin, "OTHER") == (
            f"INVALID: OTHER/microcredentials/{VALID}\n{ISSUER}"
            "  The badge is hosted on OTHER, not on the issuer's site (ORIGIN), and the issuer does not allow other sites.\n"
        )


def _look_alike(site: Site, rel: str, claimed: str | None = None) -> str:
    """A copy of the valid assertion hosted at `rel` of the issuer's origin, outside the catalog's site (as another
    project of the same static host could), its id the address given (`claimed`, or where it is)."""
    path = site.folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    address = claimed or f"{site.origin}/{rel}"
    path.write_text(json.dumps({**site.read(VALID), "id": address}), encoding="utf-8")
    return address


def test_a_look_alike_on_the_issuers_origin_under_another_path_is_refused(site: Site) -> None:
    """Another site on the same origin hosts an assertion of the issuer's badge class: the issuer's policy refuses it."""
    forged = _look_alike(site, "other/badges/assertions/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.json")
    assert _text(site, forged) == (
        f"INVALID: ORIGIN/other/badges/assertions/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.json\n{ISSUER}"
        "  The badge is not hosted where the issuer allows: its address ORIGIN/other/badges/assertions/"
        "7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.json does not start with ORIGIN/microcredentials/badges/assertions/.\n"
    )


def test_a_look_alike_whose_address_climbs_out_of_the_prefix_is_refused(site: Site) -> None:
    """Its address is written under the prefix, but the server resolves its dot segments (or decodes its %2e) elsewhere."""
    rel = "other/x.json"
    climbing = _look_alike(site, rel, f"{site.origin}/microcredentials/badges/assertions/../../../{rel}")
    assert _text(site, climbing).splitlines()[1:] == [
        ISSUER.rstrip("\n"),
        f"  The badge is not hosted where the issuer allows: its address ORIGIN/{rel} does not start with "
        "ORIGIN/microcredentials/badges/assertions/.",
    ]
    encoded = _look_alike(site, rel, f"{site.origin}/microcredentials/badges/assertions/%2e%2e/%2e%2e/%2e%2e/{rel}")
    assert _text(site, encoded).splitlines()[1:] == [
        ISSUER.rstrip("\n"),
        "  The badge's address ORIGIN/microcredentials/badges/assertions/%2e%2e/%2e%2e/%2e%2e/other/x.json holds an encoded "
        "'.', '/' or '\\' (%2e, %2f, %5c), which a server may read as another place than the issuer allows.",
    ]


def test_id_that_is_not_the_address(site: Site) -> None:
    copy = site.put("badges/assertions/copy.json", site.read(VALID))
    assert _text(site, copy) == (
        f"INVALID: ORIGIN/microcredentials/badges/assertions/copy.json\n{ISSUER}"
        f"  Its id (ORIGIN/microcredentials/{VALID}) is not the address it was fetched from (ORIGIN/microcredentials/badges/assertions/copy.json).\n"
    )


def test_linked_documents_must_be_at_their_own_ids(site: Site) -> None:
    badge = site.read(CLASS)
    site.put(CLASS, {**badge, "id": site.url("badges/classes/elsewhere.json")})
    issuer = site.read("badges/issuer.json")
    site.put("badges/issuer.json", {**issuer, "id": "https://three-rivers.example.org/microcredentials/badges/issuer.json"})
    assert _text(site, site.url(VALID)) == (
        f"INVALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}"
        f"  The badge class's id (ORIGIN/microcredentials/badges/classes/elsewhere.json) is not the address it was fetched from (ORIGIN/microcredentials/{CLASS}).\n"
        "  The issuer profile's id (https://three-rivers.example.org/microcredentials/badges/issuer.json) is not the address it was fetched from "
        "(ORIGIN/microcredentials/badges/issuer.json).\n"
    )


def test_badge_class_on_another_origin(site: Site, tmp_path: Path) -> None:
    for other in _serve(tmp_path / "other"):
        other.put(CLASS, {**site.read(CLASS), "id": other.url(CLASS)})
        site.put(VALID, {**site.read(VALID), "badge": other.url(CLASS)})
        assert _text(site, site.url(VALID)).replace(other.origin, "OTHER") == (
            f"INVALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}  The badge class is on OTHER, not on the issuer's site (ORIGIN).\n"
        )


def test_redirect_to_the_id_is_followed(site: Site) -> None:
    moved = site.route("badges/assertions/moved.json", 301, Location=f"/microcredentials/{VALID}")
    assert _text(site, moved) == f"VALID: ORIGIN/microcredentials/badges/assertions/moved.json\n{ISSUER}{VALID_CHECKS}"


def test_redirect_loop(site: Site) -> None:
    first = site.route("badges/assertions/a.json", 302, Location="/microcredentials/badges/assertions/b.json")
    site.route("badges/assertions/b.json", 307, Location="a.json")
    assert _text(site, first) == (
        f"INVALID: ORIGIN/microcredentials/badges/assertions/a.json\n{UNKNOWN}"
        "  The badge at ORIGIN/microcredentials/badges/assertions/a.json redirects in a loop: "
        "ORIGIN/microcredentials/badges/assertions/a.json -> ORIGIN/microcredentials/badges/assertions/b.json -> "
        "ORIGIN/microcredentials/badges/assertions/a.json.\n"
    )


def test_redirect_away_from_the_web(site: Site) -> None:
    away = site.route("badges/away.json", 302, Location="file:///etc/passwd")
    assert _text(site, away).splitlines()[2] == (
        "  The badge at ORIGIN/microcredentials/badges/away.json redirects to file:///etc/passwd, which is not a web address."
    )


def test_a_hosted_3_0_credential_in_json(site: Site) -> None:
    url = site.put("badges/credentials/plain.json", _credential(site))
    assert _text(site, url).splitlines()[2] == "  This is an Open Badges 3.0 credential without its VC-JWT proof: give the .jwt file."


def test_too_many_redirects(site: Site) -> None:
    for hop in range(7):
        site.route(f"badges/hop{hop}.json", 302, Location=f"hop{hop + 1}.json")
    assert _text(site, site.url("badges/hop0.json")) == (
        f"INVALID: ORIGIN/microcredentials/badges/hop0.json\n{UNKNOWN}  The badge at ORIGIN/microcredentials/badges/hop0.json redirects more than 5 times.\n"
    )


def test_wrong_content_type(site: Site) -> None:
    body = json.dumps(site.read(CLASS)).encode()
    site.route(CLASS, 200, body, Content_Type="text/plain; charset=utf-8")
    assert _text(site, site.url(VALID)).splitlines()[-1] == (
        f"  The badge class at ORIGIN/microcredentials/{CLASS} is not a JSON document: it was served as text/plain."
    )
    page = site.route("badges/page.json", 200, b"<!doctype html><p>Not found</p>", Content_Type="text/html")
    assert _text(site, page) == (
        f"INVALID: ORIGIN/microcredentials/badges/page.json\n{UNKNOWN}"
        "  The badge at ORIGIN/microcredentials/badges/page.json is not a JSON document: it was served as text/html.\n"
    )


def test_missing_badge_class(site: Site) -> None:
    (site.folder / "microcredentials" / CLASS).unlink()
    assert _text(site, site.url(VALID)).splitlines()[-1] == (
        f"  The badge class at ORIGIN/microcredentials/{CLASS} could not be fetched: the server answered 404 (not found)."
    )


def test_malformed_json(site: Site) -> None:
    broken = site.put("badges/assertions/broken.json", '{"id": "x",\n  "type": }')
    assert _text(site, broken) == (
        f"INVALID: ORIGIN/microcredentials/badges/assertions/broken.json\n{UNKNOWN}"
        "  The badge at ORIGIN/microcredentials/badges/assertions/broken.json is not valid JSON: Expecting value at line 2, column 11.\n"
    )


def test_unreachable_and_slow_servers(site: Site) -> None:
    closed = "http://127.0.0.1:9/badge.json"  # the discard port: nothing listens there
    again = "Nothing was found wrong with what could be read; try again later."
    found = verify(closed, now=NOW)
    assert (found.verdict, found.reasons) == (
        "UNVERIFIED",
        (f"The badge at {closed} could not be reached: [Errno 111] Connection refused.", again),
    )
    slow = site.route("badges/slow.json", 0, b"0.8")
    assert _text(site, slow, timeout=0.3) == (
        f"UNVERIFIED: ORIGIN/microcredentials/badges/slow.json\n{UNKNOWN}  The badge at ORIGIN/microcredentials/badges/slow.json did not answer within 0.3 seconds.\n"
        f"  {again}\n"
    )
    assert _text(site, slow, deadline=0.3).splitlines()[2] == (  # a wait cut short by the deadline is the deadline's
        "  The badge at ORIGIN/microcredentials/badges/slow.json did not arrive in time: a verification may take 0.3 seconds, "
        "every document included."
    )


@pytest.mark.parametrize("dripped", ["headers", "body"])
def test_a_server_that_drips_ends_in_unverified_within_the_deadline(site: Site, dripped: str) -> None:
    """Each byte comes well within the timeout of one wait, but the verification as a whole has a deadline."""
    drip = site.route("badges/drip.json", -1 if dripped == "headers" else -2, b"0.05")
    started = time.monotonic()
    assert _text(site, drip, deadline=1.0) == (
        f"UNVERIFIED: ORIGIN/microcredentials/badges/drip.json\n{UNKNOWN}"
        "  The badge at ORIGIN/microcredentials/badges/drip.json did not arrive in time: "
        "a verification may take 1 seconds, every document included.\n"
        "  Nothing was found wrong with what could be read; try again later.\n"
    )
    assert 1.0 <= time.monotonic() - started < 2.0


def test_the_deadline_counts_every_document(site: Site, cli: Callable[..., Run], tmp_path: Path) -> None:
    """The assertion comes at once, its badge class drips: the deadline, set on the command line, ends the whole check."""
    site.route(CLASS, -2, b"0.05")
    started = time.monotonic()
    done = cli("verify", site.url(VALID), "--deadline", "1.5", cwd=tmp_path)
    assert (done.code, done.out.replace(site.origin, "ORIGIN").splitlines()) == (
        3,
        [
            f"UNVERIFIED: ORIGIN/microcredentials/{VALID}",
            UNKNOWN.rstrip("\n"),
            f"  The badge class at ORIGIN/microcredentials/{CLASS} did not arrive in time: a verification may take 1.5 seconds, "
            "every document included.",
            "  Nothing was found wrong with what could be read; try again later.",
        ],
    )
    assert 1.5 <= time.monotonic() - started < 2.5
    refused = cli("verify", site.url(VALID), "--deadline", "0", cwd=tmp_path)
    assert (refused.code, refused.out, refused.err) == (2, "", "microcred: error: --deadline 0: give a number of seconds above 0\n")


def test_a_server_error_is_unverified_and_a_missing_document_invalid(site: Site) -> None:
    down = site.route("badges/down.json", 503, b"busy")
    assert _text(site, down).splitlines()[:3] == [
        "UNVERIFIED: ORIGIN/microcredentials/badges/down.json",
        UNKNOWN.rstrip("\n"),
        "  The badge at ORIGIN/microcredentials/badges/down.json could not be fetched: the server answered 503.",
    ]
    gone = site.route("badges/gone.json", 404, b"")
    assert _text(site, gone).splitlines()[0] == "INVALID: ORIGIN/microcredentials/badges/gone.json"


def test_large_document(site: Site) -> None:
    site.put(CLASS, {**site.read(CLASS), "description": "x" * (1 << 20)})
    assert _text(site, site.url(VALID)).splitlines()[-1] == f"  The badge class at ORIGIN/microcredentials/{CLASS} is larger than 1 MiB."


def test_required_fields_and_dates(site: Site) -> None:
    doc = site.read(VALID)
    del doc["verification"]
    doc["recipient"] = {"type": "email", "identity": "sha256$abc", "hashed": True}
    doc.update(issuedOn="2026-06-01", expires="2025-12-31T00:00:00Z")
    site.put(VALID, doc)
    badge = site.read(CLASS)
    del badge["criteria"], badge["image"]
    site.put(CLASS, badge)
    issuer = site.read("badges/issuer.json")
    del issuer["email"]
    site.put("badges/issuer.json", issuer)
    assert _text(site, site.url(VALID)) == (
        f"INVALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}"
        "  The recipient's identity says it is hashed but is not a sha256$… or md5$… hash.\n"
        "  It does not say how it is verified (verification with type HostedBadge is required).\n"
        "  Its issue date (issuedOn) is missing or is not an ISO 8601 date and time.\n"
        "  It expired on 2025-12-31T00:00:00Z.\n"
        "  The badge class lacks image, criteria.\n"
        "  The issuer profile lacks email.\n"
    )


def test_not_an_assertion(site: Site) -> None:
    assert _text(site, site.url(CLASS)) == (
        f"INVALID: ORIGIN/microcredentials/{CLASS}\n{UNKNOWN}  This document is a badge class: give the address of the earned badge (the assertion) instead.\n"
    )


@pytest.mark.parametrize("email", [EMAIL, "  Jordan.Avery@Alder-Creek.example.org "], ids=["as-given", "case-and-spaces"])
def test_recipient_email(site: Site, email: str) -> None:
    checks = VALID_CHECKS.replace(
        "  The recipient's salt is a string.\n", "  The recipient's salt is a string.\n  The recipient is the email address given.\n"
    )
    assert _text(site, site.url(VALID), email=email) == f"VALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}{checks}"


def test_recipient_email_of_someone_else(site: Site) -> None:
    assert _text(site, site.url(VALID), email="someone.else@example.org") == (
        f"INVALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}  The recipient is not the email address given.\n"
    )


def test_recipient_not_hashed_or_not_an_email(site: Site) -> None:
    doc = site.read(VALID)
    site.put(VALID, {**doc, "recipient": {"type": "email", "hashed": False, "identity": EMAIL}})
    assert _text(site, site.url(VALID), email=EMAIL.upper()).startswith("VALID")
    site.put(VALID, {**doc, "recipient": {"type": "url", "hashed": False, "identity": "https://github.com/jordan"}})
    assert _text(site, site.url(VALID), email=EMAIL).splitlines()[1:] == [
        ISSUER.rstrip("\n"),
        "  The badge's recipient is identified by url, not by an email address.",
    ]


def test_a_file_is_checked_against_its_hosted_copy(site: Site, tmp_path: Path) -> None:
    local = tmp_path / "badge.json"
    local.write_text(json.dumps(site.read(VALID)), encoding="utf-8")
    assert _text(site, str(local)) == (
        f"VALID: {local}\n{ISSUER}  The hosted copy at ORIGIN/microcredentials/{VALID} is checked (hosted verification).\n{VALID_CHECKS}"
    )
    local.write_text(json.dumps(site.read(REVOKED)), encoding="utf-8")
    assert (
        _text(site, str(local)).splitlines()[-1]
        == "  Revoked: Issued in error: the submission was scored against a draft version of the rubric."
    )


def test_a_revoked_document_in_a_file_is_revoked_without_its_hosted_copy(site: Site, tmp_path: Path) -> None:
    """The revoked form says so itself: refused with its reason though neither its address nor the issuer's list answers."""
    local = tmp_path / "revoked.json"
    local.write_text(json.dumps({**site.read(REVOKED), "id": "http://127.0.0.1:9/badges/assertions/revoked.json"}), encoding="utf-8")
    assert _text(site, str(local)) == (
        f"REVOKED: {local}\n{UNKNOWN}  Revoked: Issued in error: the submission was scored against a draft version of the rubric.\n"
    )
    baked = tmp_path / "revoked.png"
    baked.write_bytes(_png(local.read_text(encoding="utf-8")))
    assert _text(site, str(baked)).splitlines()[:3] == [
        f"REVOKED: {baked}",
        UNKNOWN.rstrip("\n"),
        "  Revoked: Issued in error: the submission was scored against a draft version of the rubric.",
    ]


def test_a_hosted_revoked_document_needs_no_revocation_list(site: Site) -> None:
    site.route("badges/revocations.json", 500, b"down")
    assert _text(site, site.url(REVOKED)) == (
        f"REVOKED: ORIGIN/microcredentials/{REVOKED}\n{UNKNOWN}"
        "  Revoked: Issued in error: the submission was scored against a draft version of the rubric.\n"
    )


def test_a_badge_class_file_is_named_without_fetching(site: Site, tmp_path: Path) -> None:
    local = tmp_path / "class.json"
    local.write_text(json.dumps({**site.read(CLASS), "id": "http://127.0.0.1:9/badges/classes/exit-tickets.json"}), encoding="utf-8")
    assert _text(site, str(local)) == (
        f"INVALID: {local}\n{UNKNOWN}  This document is a badge class: give the address of the earned badge (the assertion) instead.\n"
    )


def test_missing_file(tmp_path: Path) -> None:
    assert (
        verify(str(tmp_path / "nope.json"), now=NOW).text()
        == f"INVALID: {tmp_path}/nope.json\n{UNKNOWN}  The badge file {tmp_path}/nope.json does not exist.\n"
    )


def test_baked_png_with_and_without_payload(site: Site, tmp_path: Path) -> None:
    baked = site.put("badges/assertions/baked.png", _png(json.dumps(site.read(VALID))))
    assert _text(site, baked).splitlines()[:4] == [
        "VALID: ORIGIN/microcredentials/badges/assertions/baked.png",
        ISSUER.rstrip("\n"),
        "  The image holds an Open Badges payload (openbadges).",
        f"  The hosted copy at ORIGIN/microcredentials/{VALID} is checked (hosted verification).",
    ]
    (tmp_path / "url.png").write_bytes(_png(site.url(REVOKED)))
    assert _text(site, str(tmp_path / "url.png")).splitlines()[0] == f"REVOKED: {tmp_path}/url.png"
    plain = site.put("badges/plain.png", _png(None))
    assert _text(site, plain) == (
        f"INVALID: ORIGIN/microcredentials/badges/plain.png\n{UNKNOWN}  The image holds no Open Badges payload (no iTXt chunk 'openbadges').\n"
    )
    assert png_payload(_png("{}")) == ("openbadges", "{}")
    assert png_payload(_png("{}", keyword="other")) is None


def test_png_reader_refuses_broken_images() -> None:
    baked = _png('{"id": 1}')
    for data, message in [(b"GIF89a", "The image is not a PNG."), (baked[:60], "The PNG image is truncated.")]:
        assert verify_bytes(data) == message
    keyword_at = baked.index(b"openbadges")
    broken = baked[: keyword_at + 10] + b"\0\1\0" + baked[keyword_at + 13 :]  # says "compressed", is not
    assert verify_bytes(broken) == "The PNG's openbadges chunk is malformed."


def verify_bytes(data: bytes) -> str:
    with pytest.raises(Unverifiable) as caught:
        png_payload(data)
    return str(caught.value)


# ---- Open Badges 3.0, VC-JWT ----


def _jwt(site: Site, key: Ed25519PrivateKey = KEY, **changes: Any) -> str:
    return site.put("badges/credentials/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.jwt", vc.sign(_credential(site, **changes), key))


def test_signed_credential_is_valid_without_the_schema(site: Site) -> None:
    assert _text(site, _jwt(site), schema_dir=None, email=EMAIL) == (
        f"VALID: ORIGIN/microcredentials/badges/credentials/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.jwt\n{ISSUER_3}"
        f"  Its signature verifies with key {vc.thumbprint(KEY)} of ORIGIN/microcredentials/badges/keys.json.\n"
        "  It is an Open Badges 3.0 credential.\n"
        "  Schema not checked: reference schema not found.\n"
        "  The recipient is the email address given.\n"
        "  The issuer's revocation list does not name this badge.\n"
    )


@needs_reference(SCHEMA)
def test_signed_credential_against_the_official_schema(site: Site) -> None:
    assert reference_dir(None) == REFERENCE
    assert _text(site, _jwt(site), schema_dir=REFERENCE) == (
        f"VALID: ORIGIN/microcredentials/badges/credentials/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.jwt\n{ISSUER_3}"
        f"  Its signature verifies with key {vc.thumbprint(KEY)} of ORIGIN/microcredentials/badges/keys.json.\n"
        "  It is an Open Badges 3.0 credential.\n"
        "  It matches the Open Badges 3.0 AchievementCredential schema.\n"
        "  The issuer's revocation list does not name this badge.\n"
    )
    broken = _jwt(site, credentialSubject={"type": ["AchievementSubject"]})
    assert _text(site, broken, schema_dir=REFERENCE).splitlines()[1:] == [
        ISSUER_3.rstrip("\n"),
        "  schema: $.credentialSubject: 'achievement' is a required property",
    ]


def test_tampered_credential(site: Site) -> None:
    head, body, signature = vc.sign(_credential(site), KEY).split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Something Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    url = site.put("badges/credentials/forged.jwt", f"{head}.{forged}.{signature}")
    assert _text(site, url) == (
        f"INVALID: ORIGIN/microcredentials/badges/credentials/forged.jwt\n{ISSUER_3}"
        f"  The signature does not verify: bad signature: the token was not signed by key '{vc.thumbprint(KEY)}' or was changed after signing.\n"
    )


def test_wrong_key(site: Site) -> None:
    assert _text(site, _jwt(site, OTHER)).splitlines()[2] == (
        f"  The signature does not verify: unknown key: no key '{vc.thumbprint(OTHER)}' in the issuer's key set."
    )


def test_credential_dates_revocation_and_recipient(site: Site) -> None:
    jwt = f"INVALID: ORIGIN/microcredentials/badges/credentials/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.jwt\n{ISSUER_3}"
    expired = _jwt(site, validUntil="2025-12-01T00:00:00Z")
    assert _text(site, expired) == (  # past its validUntil and nothing else wrong: a verdict of its own, not INVALID
        jwt.replace("INVALID", "EXPIRED", 1)
        + "  It has expired: validUntil was 2025-12-01T00:00:00Z.\n  Nothing else was found wrong: it was valid until then.\n"
    )
    future = _jwt(site, validFrom="2026-02-01T00:00:00Z")
    assert _text(site, future) == f"{jwt}  It is not valid yet: validFrom is 2026-02-01T00:00:00Z.\n"
    assert _text(site, _jwt(site), email="someone@example.org") == f"{jwt}  The recipient is not the email address given.\n"
    revocations = site.read("badges/revocations.json")
    revocations["revokedAssertions"].append({"id": site.url(VALID), "revocationReason": "Plagiarised evidence."})
    site.put("badges/revocations.json", revocations)
    assert _text(site, _jwt(site)).splitlines()[:3] == [
        "REVOKED: ORIGIN/microcredentials/badges/credentials/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.jwt",
        ISSUER_3.rstrip("\n"),
        "  Revoked: Plagiarised evidence.",
    ]


def test_credential_without_keys_or_proof(site: Site, tmp_path: Path) -> None:
    (site.folder / "microcredentials" / "badges" / "keys.json").unlink()
    assert _text(site, _jwt(site)).splitlines()[2] == (
        "  The issuer's key set at ORIGIN/microcredentials/badges/keys.json could not be fetched: the server answered 404 (not found)."
    )
    unsigned = tmp_path / "credential.json"
    unsigned.write_text(json.dumps(_credential(site)), encoding="utf-8")
    assert _text(site, str(unsigned)).splitlines()[2] == (
        "  This is an Open Badges 3.0 credential without its VC-JWT proof: give the .jwt file."
    )
    (tmp_path / "bad.jwt").write_text("eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.AA\n", encoding="utf-8")
    assert _text(site, str(tmp_path / "bad.jwt")).splitlines()[2] == (
        "  The credential is not a readable VC-JWT: malformed token: its payload is not base64url-encoded JSON."
    )


# ---- the issuer expected ----


def test_the_issuer_is_named_and_a_badge_of_another_issuer_is_not_valid(site: Site) -> None:
    at = f"{site.origin}/microcredentials/"
    assert (
        _text(site, site.url(VALID), issuer=at)
        == f"VALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}{_expecting('ORIGIN/microcredentials/')}"
    )
    assert _text(site, site.url(VALID), issuer=f"{at}badges/issuer.json").startswith("VALID")  # the issuer's own id
    for expected in ("https://three-rivers.example.org/microcredentials/", f"{site.origin}/microcredentials-other/"):
        assert _text(site, site.url(VALID), issuer=expected) == (
            f"INVALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}"
            f"  The badge's issuer is ORIGIN/microcredentials/badges/issuer.json, not the one expected ({expected.replace(site.origin, 'ORIGIN')}).\n"
        )
    assert _text(site, _jwt(site), issuer="https://elsewhere.example.org/") == (
        f"INVALID: ORIGIN/microcredentials/badges/credentials/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.jwt\n{ISSUER_3}"
        "  The badge's issuer is ORIGIN/microcredentials/badges/issuer-v3.json, not the one expected (https://elsewhere.example.org/).\n"
    )
    assert _text(site, _jwt(site), issuer=at).startswith("VALID")


def test_a_whole_look_alike_issuer_on_the_same_origin_is_named_and_refused(site: Site) -> None:
    """Another project of the same host publishes its own issuer, badge class and assertion, all in order: valid for
    itself, named as what it is, and refused when this catalog's issuer is expected."""
    mine, theirs = f"{site.origin}/microcredentials/", f"{site.origin}/other/"

    def publish(rel: str, doc: dict[str, Any]) -> None:
        path = site.folder / "other" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc).replace(mine, theirs), encoding="utf-8")

    publish("badges/issuer.json", {**site.read("badges/issuer.json"), "name": "Three Rivers Educator Learning Consortium\x1b[2J"})
    publish(CLASS, site.read(CLASS))
    publish(VALID, site.read(VALID))
    publish("badges/revocations.json", site.read("badges/revocations.json"))
    named = "  Issuer: Three Rivers Educator Learning Consortium [2J (ORIGIN/other/badges/issuer.json).\n"  # no escape reaches a terminal
    assert _text(site, f"{theirs}{VALID}") == f"VALID: ORIGIN/other/{VALID}\n{named}{VALID_CHECKS}"
    assert _text(site, f"{theirs}{VALID}", issuer=mine) == (
        f"INVALID: ORIGIN/other/{VALID}\n{named}"
        "  The badge's issuer is ORIGIN/other/badges/issuer.json, not the one expected (ORIGIN/microcredentials/).\n"
    )


def test_the_command_expects_the_catalogs_issuer_inside_a_repository(site: Site, cli: Callable[..., Run], tmp_path: Path) -> None:
    inside = cli("verify", site.url(VALID), cwd=ROOT)  # the badge's issuer is on 127.0.0.1, the catalog's is not
    assert (inside.code, inside.out.replace(site.origin, "ORIGIN"), inside.err) == (
        1,
        f"INVALID: ORIGIN/microcredentials/{VALID}\n{ISSUER}"
        f"  The badge's issuer is ORIGIN/microcredentials/badges/issuer.json, not the one expected ({SITE_URL}).\n",
        "",
    )
    assert cli("verify", site.url(VALID), "--issuer", "any", cwd=ROOT).code == 0
    assert cli("verify", site.url(VALID), "--issuer", f"{site.origin}/microcredentials/", cwd=ROOT).code == 0
    outside = cli("verify", site.url(VALID), "--format", "json", cwd=tmp_path)  # no default outside: any issuer, named
    assert (outside.code, json.loads(outside.out)["issuer"], json.loads(outside.out)["expected_issuer"]) == (
        0,
        {"id": site.url("badges/issuer.json"), "name": "Three Rivers Educator Learning Consortium"},
        None,
    )
    expecting = cli("verify", site.url(VALID), "--issuer", SITE_URL, "--format", "json", cwd=tmp_path)
    assert (expecting.code, json.loads(expecting.out)["expected_issuer"]) == (1, SITE_URL)
    refused = cli("verify", site.url(VALID), "--issuer", "ftp://x/", cwd=tmp_path)
    assert (refused.code, refused.out, refused.err) == (
        2,
        "",
        "microcred: error: --issuer ftp://x/: give the issuer's http:// or https:// address, its did:web, or 'any'\n",
    )


# ---- the command ----


def test_command_exit_codes_and_json(site: Site, cli: Callable[..., Run], tmp_path: Path) -> None:
    valid = cli("verify", site.url(VALID), "--format", "json", cwd=tmp_path)
    assert valid.code == 0
    assert json.loads(valid.out)["verdict"] == "VALID"
    assert json.loads(valid.out)["checks"][0] == {"ok": True, "text": "It is an Open Badges 2.0 document."}
    revoked = cli("verify", site.url(REVOKED), cwd=tmp_path)
    assert (revoked.code, revoked.out.splitlines()[0]) == (1, f"REVOKED: {site.url(REVOKED)}")
    site.put(VALID, {**site.read(VALID), "expires": "2026-06-01T00:00:00Z"})
    before, after = (cli("verify", site.url(VALID), "--now", when, cwd=tmp_path) for when in ("2026-05-31T23:00:00Z", "2026-06-01"))
    assert (before.code, after.code, after.out.splitlines()[0]) == (0, 1, f"EXPIRED: {site.url(VALID)}")
    missing = cli("verify", "nope.json", cwd=tmp_path)
    assert (missing.code, missing.out, missing.err) == (2, "", "microcred: error: nope.json: no such file\n")
    usage = cli("verify", site.url(VALID), "--email", "nobody", cwd=tmp_path)
    assert (usage.code, usage.err) == (2, "microcred: error: --email: give an email address (name@example.org)\n")


def test_command_usage_errors(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    for target, message in [
        ("nosuchfile.json", "nosuchfile.json: no such file"),
        ("ftp://x/y.json", "ftp://x/y.json: only http:// and https:// addresses are accepted (or a .json, .png or .jwt file)"),
        ("file:///etc/hostname", "file:///etc/hostname: only http:// and https:// addresses are accepted (or a .json, .png or .jwt file)"),
        ("folder", "folder: a folder, not a badge file (.json, .png or .jwt)"),
    ]:
        done = cli("verify", target, cwd=tmp_path)
        assert (done.code, done.out, done.err) == (2, "", f"microcred: error: {message}\n")
    (tmp_path / "a:b.json").write_text("{}", encoding="utf-8")  # a file whose name looks like a scheme is still a file
    assert cli("verify", "a:b.json", cwd=tmp_path).out.startswith("INVALID: a:b.json\n")
    for args, message in [
        (("--site-url", "https://x.example.org/"), "--site-url: give it with --site DIR, the folder the site is read from"),
        (("--site", "nope"), "--site nope: no such folder"),
        (("--site", ".", "--site-url", "ftp://x/"), "--site-url ftp://x/: give the site's http:// or https:// address"),
        (
            ("--site", "."),
            f"--site: {tmp_path} is not inside a catalog repository (no folder above it holds catalog/ and schemas/); "
            "use --root, or give --site-url URL",
        ),
    ]:
        done = cli("verify", "a:b.json", *args, cwd=tmp_path)
        assert (done.code, done.out, done.err) == (2, "", f"microcred: error: {message}\n")


# ---- revocation by the command, and the repository's own badges ----


def test_revoked_by_the_command_shows_in_every_form(site: Site, tmp_path: Path) -> None:
    baked = site.put("badges/assertions/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.png", _png(json.dumps(site.read(VALID))))
    credential = _jwt(site)
    revoke(site.folder / "microcredentials", "7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18", "Plagiarised evidence.")
    for target, issuer in ((site.url(VALID), UNKNOWN), (baked, UNKNOWN), (credential, ISSUER_3)):
        assert _text(site, target).splitlines()[:3] == [
            f"REVOKED: {target.replace(site.origin, 'ORIGIN')}",
            issuer.rstrip("\n"),
            "  Revoked: Plagiarised evidence.",
        ]


SAMPLE_VALID = "badges/assertions/a53891ea-fa7e-5c4e-b4db-a1d634d07df6.json"  # obello: exit tickets
SAMPLE_REVOKED = "badges/assertions/ccc304c4-2444-5abb-b870-1110b12f851b.json"  # wkeane: UDL, issued in error
SAMPLE_STACK = "badges/assertions/39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8.json"  # nsato: culturally responsive practice
SAMPLE_NOW = datetime(2027, 1, 1, tzinfo=UTC)  # after the samples were issued
SAMPLE_REASON = "Issued in error: the scored student work was from a colleague's class, not the earner's own; the earner may submit again."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site `microcred build` makes from a copy of this repository, sample badges included."""
    repo = tmp_path_factory.mktemp("built") / "repo"
    for name in ("catalog", "rubrics", "schemas", "submissions", "records", "badges", "docs"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    assert main(["build", "--root", str(repo), "--quiet"]) == 0
    return repo / "site"


def test_the_built_site_publishes_the_sample_badges_and_the_revocation(built: Path) -> None:
    published = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "badges").rglob("*") if p.is_file())
    pages = ("badges/earned/", "badges/recipients/")  # what the build writes beside them: badge pages, the recipient index
    assert (
        sorted(r for p in (built / "badges").rglob("*") if p.is_file() and not (r := p.relative_to(built).as_posix()).startswith(pages))
        == published
    )
    assert all((built / rel).read_bytes() == (ROOT / rel).read_bytes() for rel in published)  # byte for byte, at their ids
    assert json.loads((built / SAMPLE_REVOKED).read_text(encoding="utf-8")) == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": f"https://three-rivers.example.org/microcredentials/{SAMPLE_REVOKED}",
        "type": "Assertion",
        "revoked": True,
        "revocationReason": SAMPLE_REASON,
    }
    assert json.loads((built / "badges/revocations.json").read_text(encoding="utf-8"))["revokedAssertions"] == [
        {"id": f"https://three-rivers.example.org/microcredentials/{SAMPLE_REVOKED}", "revocationReason": SAMPLE_REASON}
    ]
    page = (built / "verify/index.html").read_text(encoding="utf-8")  # a valid, a revoked and a stack badge, and two 3.0 credentials
    links = re.findall(r'href="\?a=([^"]+)"', page)
    credentials = [rel.replace("assertions", "credentials").replace(".json", ".jwt") for rel in (SAMPLE_VALID, SAMPLE_REVOKED)]
    expected = (SAMPLE_VALID, SAMPLE_REVOKED, SAMPLE_STACK, *credentials)
    assert links == [f"https://three-rivers.example.org/microcredentials/{rel}" for rel in expected]


def test_the_built_site_verifies_the_sample_badges(built: Path, tmp_path: Path) -> None:
    """Every sample badge, served from the built site at its ids (moved to 127.0.0.1): valid, or revoked with its reason."""
    site_url = yaml.safe_load((ROOT / "catalog" / "consortium.yml").read_text(encoding="utf-8"))["site_url"]
    for served in _serve(tmp_path / "www"):
        shutil.copytree(built, served.folder / "microcredentials")
        for path in (served.folder / "microcredentials" / "badges").rglob("*.json"):
            path.write_text(path.read_text(encoding="utf-8").replace(site_url, served.url("")), encoding="utf-8")
        assert (
            _text(served, served.url(SAMPLE_VALID), now=SAMPLE_NOW)
            == f"VALID: ORIGIN/microcredentials/{SAMPLE_VALID}\n{ISSUER}{VALID_CHECKS}"
        )
        assert (
            _text(served, served.url(SAMPLE_STACK), now=SAMPLE_NOW)
            == f"VALID: ORIGIN/microcredentials/{SAMPLE_STACK}\n{ISSUER}{VALID_CHECKS}"
        )
        assert (
            _text(served, served.url(SAMPLE_REVOKED), now=SAMPLE_NOW)
            == f"REVOKED: ORIGIN/microcredentials/{SAMPLE_REVOKED}\n{UNKNOWN}  Revoked: {SAMPLE_REASON}\n"
        )
        assertions = sorted((built / "badges" / "assertions").glob("*.json"))
        revoked = {p.stem for p in assertions if json.loads(p.read_text(encoding="utf-8")).get("revoked") is True}
        assert (len(assertions), revoked) == (6, {SAMPLE_REVOKED.rsplit("/", 1)[1].removesuffix(".json")})
        for path in assertions:
            found = verify(served.url(f"badges/assertions/{path.name}"), now=SAMPLE_NOW)
            assert (path.name, found.verdict) == (path.name, "REVOKED" if path.stem in revoked else "VALID"), found.text()
    keys = json.loads((built / "badges" / "keys.json").read_text(encoding="utf-8"))
    schema = json.loads((REFERENCE / SCHEMA).read_text(encoding="utf-8")) if (REFERENCE / SCHEMA).is_file() else None
    for token in sorted((built / "badges" / "credentials").glob("*.jwt")):  # signed for the published site: checked here
        signed = vc.verify(token.read_text(encoding="ascii"), keys)
        credential = vc.credential_of(signed)
        assert (token.name, vc.claim_problems(signed), credential["id"]) == (token.name, [], f"{site_url}badges/credentials/{token.name}")
        if schema is not None:
            assert (token.name, vc.schema_problems(credential, schema)) == (token.name, [])


# ---- the repository's own badges, before they are published: --site ----

SITE_URL = "https://three-rivers.example.org/microcredentials/"
SITE_ISSUER = ISSUER.replace("ORIGIN/microcredentials/", SITE_URL)
SITE_ISSUER_3 = "  Issuer: Three Rivers Educator Learning Consortium (did:web:three-rivers.example.org:microcredentials:badges).\n"


def _expecting(site_url: str) -> str:
    """The checks of a valid badge when its issuer is expected (the command's default inside a repository)."""
    named = "  The badge class has a name, description, image, criteria and issuer.\n"
    return VALID_CHECKS.replace(named, f"{named}  The issuer is the one expected ({site_url}).\n")


def test_the_repositorys_badges_verify_from_the_repository(cli: Callable[..., Run]) -> None:
    """`verify FILE --site .` reads what is under the catalog's site_url from the repository: each form, each verdict."""
    read = f"  The documents under {SITE_URL} are read from the folder {ROOT}, not fetched.\n"
    hosted = f"  The hosted copy at {SITE_URL}{SAMPLE_VALID} is checked (hosted verification).\n"
    for target, first in [
        (SAMPLE_VALID, hosted),
        (SAMPLE_VALID.replace(".json", ".png"), "  The image holds an Open Badges payload (openbadges).\n" + hosted),
    ]:
        done = cli("verify", target, "--site", ".", cwd=ROOT)
        assert (done.code, done.out, done.err) == (0, f"VALID: {target}\n{SITE_ISSUER}{read}{first}{_expecting(SITE_URL)}", "")
    stack = cli("verify", SAMPLE_STACK, "--site", ".", cwd=ROOT)
    assert (stack.code, stack.out.splitlines()[0]) == (0, f"VALID: {SAMPLE_STACK}")
    for target, issuer in (
        (SAMPLE_REVOKED, UNKNOWN),  # the revoked form names no badge class
        (SAMPLE_REVOKED.replace(".json", ".png"), UNKNOWN),
        (SAMPLE_REVOKED.replace("assertions", "credentials").replace(".json", ".jwt"), SITE_ISSUER_3),
    ):
        done = cli("verify", target, "--site", ".", cwd=ROOT)
        assert (done.code, done.out) == (1, f"REVOKED: {target}\n{issuer}  Revoked: {SAMPLE_REASON}\n")
    credential = SAMPLE_VALID.replace("assertions", "credentials").replace(".json", ".jwt")
    done = cli("verify", credential, "--site", ".", "--root", str(ROOT), cwd=ROOT)
    assert done.code == 0
    lines = done.out.splitlines()
    expected = f"  The issuer is the one expected ({SITE_URL})."
    assert lines[:4] == [f"VALID: {credential}", SITE_ISSUER_3.rstrip("\n"), read.rstrip("\n"), expected]
    kid = rf"{SITE_URL}badges/keys/[A-Za-z0-9_-]+\.json"
    assert re.fullmatch(rf"  Its signature \(RS256\) verifies with the key published at {kid}\.", lines[4])  # the new 3.0 form
    assert f"  Its Data Integrity proof (eddsa-rdfc-2022) verifies with the key in {SITE_URL}badges/did.json." in lines
    assert any(line.startswith(f"  The issuer's status list {SITE_URL}badges/status/1.json does not mark it revoked") for line in lines)


def test_a_built_site_folder_stands_for_the_site(built: Path) -> None:
    found = verify(f"{SITE_URL}{SAMPLE_STACK}", now=SAMPLE_NOW, site=SiteFolder(SITE_URL, built))
    assert (
        found.text()
        == f"VALID: {SITE_URL}{SAMPLE_STACK}\n{SITE_ISSUER}  The documents under {SITE_URL} are read from the folder {built}, not fetched.\n{VALID_CHECKS}"
    )
    assert verify(f"{SITE_URL}{SAMPLE_REVOKED}", now=SAMPLE_NOW, site=SiteFolder(SITE_URL, built)).verdict == "REVOKED"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the repository's badges, as a site folder to break."""
    shutil.copytree(ROOT / "badges", tmp_path / "site" / "badges")
    return tmp_path / "site"


def _from(folder: Path, target: str) -> str:
    return verify(target, now=SAMPLE_NOW, site=SiteFolder(SITE_URL, folder)).text().replace(str(folder), "DIR")


def test_a_site_folder_is_checked_as_the_site_would_be(folder: Path) -> None:
    copy = folder / "badges" / "assertions" / "copy.json"
    shutil.copyfile(folder / SAMPLE_VALID, copy)
    assert _from(folder, f"{SITE_URL}badges/assertions/copy.json") == (
        f"INVALID: {SITE_URL}badges/assertions/copy.json\n{SITE_ISSUER}"
        f"  Its id ({SITE_URL}{SAMPLE_VALID}) is not the address it was fetched from ({SITE_URL}badges/assertions/copy.json).\n"
    )
    klass = json.loads((folder / SAMPLE_VALID).read_text(encoding="utf-8"))["badge"].removeprefix(SITE_URL)
    (folder / klass).unlink()
    assert _from(folder, f"{SITE_URL}{SAMPLE_VALID}").splitlines()[-1] == (
        f"  The badge class at {SITE_URL}{klass} is not in the site folder DIR: {klass} does not exist."
    )
    doc = json.loads((folder / SAMPLE_VALID).read_text(encoding="utf-8"))
    (folder / "badges/classes/exit-tickets.txt").write_text(json.dumps({"type": "BadgeClass"}), encoding="utf-8")
    (folder / SAMPLE_VALID).write_text(json.dumps({**doc, "badge": f"{SITE_URL}badges/classes/exit-tickets.txt"}), encoding="utf-8")
    assert _from(folder, f"{SITE_URL}{SAMPLE_VALID}").splitlines()[-1] == (
        f"  The badge class at {SITE_URL}badges/classes/exit-tickets.txt is not a JSON document: "
        "it would be served as application/octet-stream (the file badges/classes/exit-tickets.txt)."
    )
    (folder / SAMPLE_VALID).write_text(json.dumps({**doc, "badge": f"{SITE_URL}badges/../../secret.json"}), encoding="utf-8")
    assert _from(folder, f"{SITE_URL}{SAMPLE_VALID}").splitlines()[-1] == (
        f"  The badge class address {SITE_URL}badges/../../secret.json leaves the site folder DIR."
    )
    assert _from(folder, f"{SITE_URL}badges/assertions/none.json") == (
        f"INVALID: {SITE_URL}badges/assertions/none.json\n{UNKNOWN}"
        f"  The badge at {SITE_URL}badges/assertions/none.json is not in the site folder DIR: badges/assertions/none.json does not exist.\n"
    )


def test_the_site_url_comes_from_the_catalog_or_the_command(cli: Callable[..., Run], folder: Path, tmp_path: Path) -> None:
    other = "http://127.0.0.1:9/mc/"  # nothing listens there: every document comes from the folder
    for path in (folder / "badges").rglob("*.json"):
        path.write_text(path.read_text(encoding="utf-8").replace(SITE_URL, other), encoding="utf-8")
    target = str(folder / SAMPLE_VALID)
    done = cli("verify", target, "--site", str(folder), "--site-url", other.rstrip("/"), cwd=tmp_path)
    assert (done.code, done.out.splitlines()[:3]) == (
        0,
        [
            f"VALID: {target}",
            f"  Issuer: Three Rivers Educator Learning Consortium ({other}badges/issuer.json).",
            f"  The documents under {other} are read from the folder {folder}, not fetched.",
        ],
    )
    from_catalog = cli("verify", target, "--site", str(folder), "--root", str(ROOT), cwd=tmp_path)
    assert (from_catalog.code, from_catalog.out.splitlines()) == (
        3,
        [
            f"UNVERIFIED: {target}",
            UNKNOWN.rstrip("\n"),
            f"  The badge at {other}{SAMPLE_VALID} could not be reached: [Errno 111] Connection refused.",
            "  Nothing was found wrong with what could be read; try again later.",
        ],
    )
