"""Reading badge documents for `verify`: http(s) with redirects counted and loops seen, files, baked PNGs.

A `SiteFolder` stands in for the published site before it is published: documents under its address
are read from a folder (the repository, or a built site) as a static host would serve them, each with
the content type its suffix gives, so the checks are those made against the site itself.

Every failure is an `Unverifiable` whose message is a reason for the reader, never a traceback.

A `Fetcher` gives one verification an overall deadline: each exchange runs in a worker thread the
caller waits for no longer than the time left, and at the deadline its sockets are shut, so a server
that sends its headers or body one byte at a time ends the check (UNVERIFIED) instead of holding it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from functools import partial
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

JSON_TYPES = ("application/json", "application/ld+json")
TIMEOUT, MAX_REDIRECTS = 10.0, 5
DEADLINE = 20.0  # seconds one verification may take, every document fetched included
MAX_JSON, MAX_TARGET = 1 << 20, 8 << 20  # a badge document, and a baked image
KEYWORDS = (b"openbadges", b"openbadgecredential")  # baked 2.0 and 3.0
# What a static host such as GitHub Pages sends for each suffix; anything else is served as bytes.
SUFFIX_TYPES = {".json": "application/json", ".png": "image/png", ".jwt": "application/jwt", ".html": "text/html"}


class Unverifiable(Exception):
    """The check cannot go on; the message is the reason, for the reader."""


class Missing(Unverifiable):
    """The address answered 404."""


class Unreachable(Unverifiable):
    """The address could not be read at all (no answer, a timeout, a server error): nothing is proven either way."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects; a file:// URI for a file
    body: bytes
    media: str  # the content type without parameters
    status: int = 200


def normal_url(url: object) -> str | None:
    """A URL in the form browsers compare (lower-case scheme and host, no default port), or None."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "file") or (parts.scheme != "file" and not parts.hostname):
        return None
    host = (parts.hostname or "") + (f":{port}" if port and port != {"http": 80, "https": 443}.get(parts.scheme) else "")
    return f"{parts.scheme}://{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def origin(url: object) -> str | None:
    normal = normal_url(url)
    return "/".join(normal.split("/", 3)[:3]) if normal else None


class _Manual(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `Fetcher`, which counts them and sees loops."""

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Message, newurl: str
    ) -> urllib.request.Request | None:
        return None


class _Connections:
    """The sockets one exchange opened, so that the deadline can shut them (urllib lets go of them before the body)."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []

    def keep(self, connection: http.client.HTTPConnection) -> http.client.HTTPConnection:
        create, connect = connection._create_connection, connection.connect  # type: ignore[attr-defined]

        def created(*args: Any, **options: Any) -> socket.socket:
            self.sockets.append(create(*args, **options))  # the TCP socket: the TLS handshake reads from it
            return self.sockets[-1]

        def connected() -> None:
            connect()
            if isinstance(connection.sock, socket.socket):
                self.sockets.append(connection.sock)  # under TLS, the socket that replaced it

        connection._create_connection = created  # type: ignore[attr-defined]
        connection.connect = connected  # type: ignore[method-assign]
        return connection

    def shut(self) -> None:
        """Wake a read blocked on any of them: it ends at once, and so does the worker."""
        for sock in self.sockets:
            if sock.fileno() != -1:
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Kept:
    """A handler whose connections are kept in `connections`."""

    connections: _Connections

    def do_open(self, http_class: Any, req: urllib.request.Request, **args: Any) -> Any:
        def opened(host: str, **options: Any) -> http.client.HTTPConnection:
            return self.connections.keep(http_class(host, **options))

        return super().do_open(opened, req, **args)  # type: ignore[misc]


class _Http(_Kept, urllib.request.HTTPHandler):
    pass


class _Https(_Kept, urllib.request.HTTPSHandler):
    pass


@dataclass(frozen=True)
class _Answer:
    """What one request brought back: its status, its headers, and the body when it is read."""

    status: int
    headers: Message
    body: bytes = b""


def _exchange(url: str, media: tuple[str, ...], limit: int, timeout: float, connections: _Connections) -> _Answer:
    """One request, redirects not followed; the body of a success or a 410 is read (up to `limit` + 1 bytes)."""
    handlers = [_Manual(), _Http(), _Https()]
    for handler in handlers[1:]:
        handler.connections = connections  # type: ignore[attr-defined]
    headers = {"Accept": ", ".join(media) or "*/*", "User-Agent": "microcred-verify"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the scheme is http(s), checked by the caller
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=timeout) as response:
            return _Answer(response.status, response.headers, response.read(limit + 1))
    except urllib.error.HTTPError as err:
        with err:
            return _Answer(err.code, err.headers, err.read(limit + 1) if err.code == 410 else b"")


def _within(seconds: float, work: Callable[[], _Answer], connections: _Connections) -> _Answer:
    """`work` in a worker thread, waited for `seconds` at most (then its sockets are shut and TimeoutError raised)."""
    done: list[_Answer] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as err:  # handed to the caller's thread
            failed.append(err)

    worker = threading.Thread(target=run, name="microcred-verify-fetch", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        connections.shut()
        worker.join(1.0)  # a shut socket ends the read at once; the thread is a daemon if it does not
        raise _Late
    if failed:
        raise failed[0]
    return done[0]


class _Late(TimeoutError):
    """The overall deadline passed during an exchange."""


@dataclass(frozen=True)
class SiteFolder:
    """The site at `url` (ending in "/"), read from `folder` instead of fetched.

    The `badges/` of each badge site is read from the folder's `badges/`, where a catalog repository holds them all.
    """

    url: str
    folder: Path
    badge_sites: tuple[str, ...] = ()  # each ending in "/"

    def _base(self, url: str) -> tuple[str, str] | None:
        """(the address `url` is under, the folder path it maps to), compared as browsers do: scheme and host in any case."""
        normal = normal_url(url)
        for base, into in ((self.url, ""), *((f"{site}badges/", "badges/") for site in self.badge_sites)):
            found = normal_url(base)
            if normal is not None and found is not None and normal.startswith(found):
                return base, into
        return None

    def covers(self, url: str) -> bool:
        """Whether `url` is under the site's address, or a badge site's badges."""
        return self._base(url) is not None

    def read(self, url: str, what: str, media: tuple[str, ...], limit: int) -> Fetched:
        """The file a static host would serve at `url`, with the content type of its suffix; a missing file is Missing."""
        base, into = self._base(url) or (self.url, "")
        rel = into + unquote(urlsplit(url).path)[len(urlsplit(base).path) :]
        if rel.startswith("/") or ".." in rel.split("/"):
            raise Unverifiable(f"The {what} address {url} leaves the site folder {self.folder}.")
        path = self.folder / rel
        if path.is_dir():  # a static host serves a folder's index page
            rel, path = f"{rel.rstrip('/')}/index.html".lstrip("/"), path / "index.html"
        if not path.is_file():
            raise Missing(f"The {what} at {url} is not in the site folder {self.folder}: {rel or '.'} does not exist.")
        found = read_file(path, what, limit, url)
        kind = SUFFIX_TYPES.get(path.suffix.lower(), "application/octet-stream")
        if media and kind not in media:
            raise Unverifiable(f"The {what} at {url} is not a JSON document: it would be served as {kind} (the file {rel}).")
        return Fetched(url, found.body, kind)


@dataclass(frozen=True)
class Fetcher:
    """Reads badge documents over http(s), or from files when the badge given was a file, or from a site folder.

    `timeout` bounds each wait for the network, `deadline` the whole verification: every fetch together,
    counted from when the fetcher was made.
    """

    files: bool = False
    timeout: float = TIMEOUT
    site: SiteFolder | None = None
    deadline: float = DEADLINE
    started: float = field(default_factory=time.monotonic)

    def get(self, url: str, what: str, media: tuple[str, ...] = JSON_TYPES, limit: int = MAX_JSON) -> Fetched:
        """The document at `url` (the `what` of messages) of one of the `media` types (any when empty); 410 is returned."""
        if self.site is not None and self.site.covers(url):
            return self.site.read(url, what, media, limit)
        if urlsplit(url).scheme == "file" and self.files:
            return read_file(Path(url2pathname(urlsplit(url).path)), what, limit, url)
        if normal_url(url) is None or urlsplit(url).scheme == "file":
            raise Unverifiable(f"The {what} address {url} is not a web address.")
        seen = [url]
        while True:
            left = self.started + self.deadline - time.monotonic()
            if left <= 0:
                raise Unreachable(f"The {what} at {url} was not fetched: the verification took its {self.deadline:g} seconds.")
            connections = _Connections()
            try:
                answer = _within(left, partial(_exchange, seen[-1], media, limit, min(self.timeout, left), connections), connections)
            except TimeoutError as err:  # a wait for the network; _Late, or one cut short by the deadline, is the deadline's
                if isinstance(err, _Late) or left < self.timeout:
                    took = f"a verification may take {self.deadline:g} seconds, every document included"
                    raise Unreachable(f"The {what} at {url} did not arrive in time: {took}.") from None
                raise Unreachable(f"The {what} at {url} did not answer within {self.timeout:g} seconds.") from None
            except urllib.error.URLError as err:
                why = "it did not answer in time" if isinstance(err.reason, TimeoutError) else err.reason
                raise Unreachable(f"The {what} at {url} could not be reached: {why}.") from None
            except (http.client.HTTPException, OSError) as err:
                raise Unreachable(f"The {what} at {url} could not be fetched: {err}.") from None
            except ValueError as err:
                raise Unverifiable(f"The {what} at {url} could not be fetched: {err}.") from None
            if answer.status in (301, 302, 303, 307, 308) and answer.headers.get("Location"):
                seen.append(urljoin(seen[-1], answer.headers["Location"]))
                if urlsplit(seen[-1]).scheme not in ("http", "https"):
                    raise Unverifiable(f"The {what} at {url} redirects to {seen[-1]}, which is not a web address.")
                if seen[-1] in seen[:-1]:
                    raise Unverifiable(f"The {what} at {url} redirects in a loop: {' -> '.join(seen)}.")
                if len(seen) > MAX_REDIRECTS + 1:
                    raise Unverifiable(f"The {what} at {url} redirects more than {MAX_REDIRECTS} times.")
                continue
            if answer.status == 410:
                return _body(answer, seen[-1], what, (), limit)
            if answer.status >= 300:
                code = answer.status
                kind = Missing if code == 404 else Unreachable if code >= 500 or code == 429 else Unverifiable
                note = " (not found)" if code == 404 else ""
                raise kind(f"The {what} at {url} could not be fetched: the server answered {code}{note}.")
            return _body(answer, seen[-1], what, media, limit)


def _body(answer: _Answer, url: str, what: str, media: tuple[str, ...], limit: int) -> Fetched:
    body = answer.body
    if len(body) > limit:
        raise Unverifiable(f"The {what} at {url} is larger than {limit // (1 << 20)} MiB.")
    kind = (answer.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if media and kind not in media and not (media == JSON_TYPES and kind.endswith("+json")):
        raise Unverifiable(f"The {what} at {url} is not a JSON document: it was served as {kind or 'no content type'}.")
    return Fetched(url, body, kind, answer.status)


def read_file(path: Path, what: str, limit: int, uri: str | None = None) -> Fetched:
    try:
        with path.open("rb") as handle:
            body = handle.read(limit + 1)
    except FileNotFoundError:
        raise Unverifiable(f"The {what} file {path} does not exist.") from None
    except OSError as err:
        raise Unverifiable(f"The {what} file {path} cannot be read: {err.strerror}.") from None
    if len(body) > limit:
        raise Unverifiable(f"The {what} file {path} is larger than {limit // (1 << 20)} MiB.")
    return Fetched(uri or path.resolve().as_uri(), body, "")


def parse_json(fetched: Fetched, what: str) -> dict[str, Any]:
    """The JSON object a fetched document holds, or the reason it holds none."""
    try:
        doc = json.loads(fetched.body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Unverifiable(f"The {what} at {fetched.url} is not UTF-8 text.") from None
    except json.JSONDecodeError as err:
        raise Unverifiable(f"The {what} at {fetched.url} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}.") from None
    if not isinstance(doc, dict):
        raise Unverifiable(f"The {what} at {fetched.url} is not a JSON object.")
    return doc


def png_payload(data: bytes) -> tuple[str, str] | None:
    """The keyword and text of a PNG's Open Badges chunk (iTXt, or tEXt from older bakers), or None."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise Unverifiable("The image is not a PNG.")
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if len(chunk) < length:
            raise Unverifiable("The PNG image is truncated.")
        keyword, _, rest = chunk.partition(b"\0")
        try:
            if kind == b"iTXt" and keyword in KEYWORDS:
                flag, text = rest[:1], rest[2:].split(b"\0", 2)[2]
                raw = zlib.decompressobj().decompress(text, MAX_JSON) if flag == b"\1" else text
                return keyword.decode(), raw.decode("utf-8")
            if kind == b"tEXt" and keyword in KEYWORDS:
                return keyword.decode(), rest.decode("latin-1")
        except (IndexError, zlib.error, UnicodeDecodeError):
            raise Unverifiable(f"The PNG's {keyword.decode()} chunk is malformed.") from None
        if kind == b"IEND":
            break
        pos += 12 + length
    return None
