"""What must never reach a public repository: contact details, media, large files, open evidence links.

Pure functions over names, bytes and lines of text; `checkpr` decides which
files and lines of a pull request they see.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from ..catalog.problems import Problem

MAX_BYTES = 256 * 1024
# Evidence is linked from access-controlled storage, never committed: images,
# audio, video, office documents and archives are refused by their name alone.
MEDIA_SUFFIXES = frozenset(
    {
        *("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif", "avif", "psd", "raw", "svg", "ico"),
        *("mp4", "mov", "m4v", "avi", "mkv", "webm", "wmv", "mpg", "mpeg", "3gp"),
        *("mp3", "m4a", "wav", "aac", "flac", "ogg", "oga", "opus", "wma", "amr"),
        *("pdf", "doc", "docx", "odt", "rtf", "ppt", "pptx", "odp", "key", "pages", "xls", "xlsx", "ods", "numbers"),
        *("zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "tar"),
    }
)
# user@domain.tld; the sha256$ hashes of the schema hold no @, so they never match.
EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-]|\.[a-z0-9])",
    re.IGNORECASE,
)
# North American numbers: an area code (bracketed or followed by a separator),
# then 3 and 4 digits with a separator, optionally after +1 or 1.
# A longer run of digits or a dotted, slashed or hyphenated token around it
# (dates, versions, DOIs, ISBNs, URL paths) does not match.
PHONE = re.compile(
    r"(?<![\w.+/-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w/-]|\.\d)",
    re.ASCII,
)
# Numbers with a country code (+44 20 7946 0958, +33 1 23 45 67 89): 8 to 15 digits in groups; and ten digits
# run together (5551234567), which is how a number is written to slip past the pattern above.
INTERNATIONAL = re.compile(r"(?<![\w.+/-])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![\w/-]|\.\d)", re.ASCII)
TEN_DIGITS = re.compile(r"(?<![\w.+/$-])\d{10}(?![\w/-]|\.\d)", re.ASCII)
URL = re.compile(r"\b(?:https?|ftp)://[^\s\"'<>)\]]+", re.IGNORECASE)
# Media smuggled into text: a data: URI, or a long run of base64.
EMBEDDED = re.compile(r"data:[\w.+-]+/[\w.+-]+;base64,|[A-Za-z0-9+/]{200,}={0,2}")
# A base64 run split over lines: each line a long run of base64 alone, as an encoder wraps it.
WRAPPED = re.compile(r"[A-Za-z0-9+/]{56,}={0,2}")
WRAPPED_TOTAL = 200
# Characters that show nothing (zero-width spaces and joiners, the word joiner, soft hyphens, a BOM): an address or a
# number split by them reads whole on screen.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"))
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
# RFC 2606 and RFC 6761 names: an address there cannot reach anyone.
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
_RESERVED_TLDS = (".example", ".test", ".invalid", ".localhost")

# Links that reach the evidence without signing in, by what their address shows.
_SHORTENERS = r"bit\.ly|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|shorturl\.at|tiny\.cc"
_PUBLIC_SHARES = (
    (r"(?:drive|docs)\.google\.com/.*(?:[?&]usp=shar|/view\b)", "a Google Drive link shared by link"),
    (r"(?:www\.)?dropbox\.com/(?:s/|scl/|.*[?&]dl=[01]\b)", "a Dropbox shared link"),
    (r"(?:1drv\.ms|onedrive\.live\.com/(?:redir|embed|view)|[\w-]+-my\.sharepoint\.com/:)", "a OneDrive shared link"),
    (r"(?:[\w-]+\.)?box\.com/s/", "a Box shared link"),
    (r"(?:www\.|m\.)?(?:youtube\.com/(?:watch|shorts/|live/)|youtu\.be/)", "a YouTube video"),
    (rf"(?:{_SHORTENERS})/", "a shortened link (it hides where it leads)"),
)
_SHARE_PATTERNS = tuple((re.compile(r"^https?://" + pattern, re.IGNORECASE), what) for pattern, what in _PUBLIC_SHARES)


def file_problem(rel: str, size: int, head: bytes) -> list[Problem]:
    """Whole-file findings: media or binary content, and size. `head` is the file's first bytes."""
    found = []
    name = rel.rpartition("/")[2]
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    if suffix in MEDIA_SUFFIXES:
        message = f"a .{suffix} file; evidence, images and documents stay in access-controlled storage and are linked, never committed"
        found.append(Problem(rel, 1, 1, "MC322", message))
    elif b"\0" in head:
        found.append(Problem(rel, 1, 1, "MC322", "the file holds binary data (a NUL byte); a pull request carries text only"))
    if size > MAX_BYTES:
        message = f"the file has {size:,} bytes; a file in a pull request may have at most {MAX_BYTES:,} (256 KB)"
        found.append(Problem(rel, 1, 1, "MC323", message))
    return found


def reserved_email(address: str) -> bool:
    """Whether an address lies in a domain reserved for examples, so it cannot be anyone's."""
    domain = address.rpartition("@")[2].lower()
    return domain.endswith(_RESERVED_TLDS) or any(domain == d or domain.endswith("." + d) for d in _RESERVED_DOMAINS)


def private_commit_address(address: str) -> bool:
    """Whether a commit's address keeps its author's own private: GitHub's noreply address, or an example domain."""
    return address.lower().endswith("@users.noreply.github.com") or reserved_email(address)


def public_share(url: str) -> str | None:
    """What makes a link look publicly shared, or None."""
    return next((what for pattern, what in _SHARE_PATTERNS if pattern.search(url)), None)


def normalise(line: str) -> tuple[str, list[int]]:
    """The line as a reader sees it, and for each of its characters the column it came from.

    NFKC folds full-width and other compatibility forms (a full-width at sign, digit or stop) into plain ones, invisible characters go,
    Unicode dashes become hyphens and percent-escapes (%40) are decoded, so that contact details written to
    slip past the patterns still match them.
    """
    text: list[str] = []
    columns: list[int] = []
    i = 0
    while i < len(line):
        escape = _PERCENT.match(line, i) if line[i] == "%" else None
        if escape:
            piece, width = chr(int(escape.group()[1:], 16)), 3
        else:
            piece, width = line[i], 1
        folded = unicodedata.normalize("NFKC", piece).translate(_INVISIBLE).translate(_DASHES)
        text.append(folded)
        columns.extend([i] * len(folded))
        i += width
    return "".join(text), columns


def scan_lines(
    rel: str,
    lines: Iterable[tuple[int, str]],
    email_allowed: Callable[[str], bool],
    links: bool,
) -> Iterator[Problem]:
    """Contact details in numbered lines of text; with `links`, evidence links too (a submission's)."""
    run_at, run_length, reported = (0, 0), 0, False  # a base64 run wrapped over lines: where it starts, how long
    for number, line in lines:
        embedded = EMBEDDED.search(line)
        if embedded:
            message = "embedded media (a data: URI or a long base64 run); evidence is linked from access-controlled storage"
            yield Problem(rel, number, embedded.start() + 1, "MC322", message)
        piece = WRAPPED.fullmatch(line.strip())
        if piece is None:
            run_length, reported = 0, False
        else:
            if run_length == 0:
                run_at = (number, len(line) - len(line.lstrip()) + 1)
            run_length += len(piece.group())
            reported = reported or embedded is not None
            if run_length >= WRAPPED_TOTAL and not reported:
                message = "embedded media (a base64 run wrapped over lines); evidence is linked from access-controlled storage"
                yield Problem(rel, *run_at, "MC322", message)
                reported = True
        text, columns = normalise(line)
        for match in EMAIL.finditer(text):
            if not email_allowed(match.group()):
                message = "a plain email address; an earner's appears only as the salted hash made by `microcred hash-email`"
                yield Problem(rel, number, columns[match.start()] + 1, "MC320", message)
        phones = sorted({m.start() for pattern in (PHONE, INTERNATIONAL, TEN_DIGITS) for m in pattern.finditer(text)})
        for start in _first_of_overlaps(phones, text):
            message = "a phone number; contact details of earners, students or families never go into the repository"
            yield Problem(rel, number, columns[start] + 1, "MC321", message)
        if not links:
            continue
        for match in URL.finditer(line):
            url = match.group()
            if not url.lower().startswith("https://"):
                scheme = url.partition(":")[0]
                message = f"a {scheme}:// link; evidence links use https://, so nothing on the way can read the evidence"
                yield Problem(rel, number, match.start() + 1, "MC324", message)
            shared = public_share(url)
            if shared:
                message = (
                    f"{shared} looks open to anyone who has it; evidence about students belongs in storage that only "
                    "the earner, the district and the reviewers can open"
                )
                yield Problem(rel, number, match.start() + 1, "MC325", message)


def _first_of_overlaps(starts: list[int], text: str) -> list[int]:
    """One finding per number: a start inside the digits of the one before is the same number."""
    kept: list[int] = []
    for start in starts:
        if kept and re.fullmatch(r"[\d ().+-]*", text[kept[-1] : start]):
            continue
        kept.append(start)
    return kept
