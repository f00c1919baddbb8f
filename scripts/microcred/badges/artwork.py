"""Badge artwork drawn from the consortium's colours and a title, and baking an assertion into a PNG.

The artwork is the same bytes for the same inputs on one installation (no time stamp, no metadata; the
font is the one Pillow ships). Baking works on PNG chunks, never re-encoding the image, so the
baked image of an assertion is its class image plus one `iTXt` chunk.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageFont

SIZE = 400
PALETTE = 64  # colours of the artwork's PNG
WHITE = (255, 255, 255)
KEYWORD = b"openbadges"
KEYWORD_3 = b"openbadgecredential"  # Open Badges 3.0 baking
SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")


class ArtworkError(ValueError):
    """Bytes that are not a PNG this module can read."""


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont  # see badge_png()

    return ImageFont.load_default(size=size)


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _fit(text: str, width: int, max_lines: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, list[str]]:
    """The largest font size (down to 14 px) at which the title fits the width in at most `max_lines` lines."""
    for size in range(34, 13, -2):
        font = _font(size)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines and all(font.getlength(line) <= width for line in lines):
            return font, lines
    font = _font(14)
    lines = _wrap(text, font, width)[:max_lines]
    return font, lines


def _exact(image: Image.Image, colours: tuple[tuple[int, int, int], ...]) -> Image.Image:
    """The palette entry nearest each of the badge's own colours set to that colour exactly (quantizing moves them a little)."""
    entries = image.getpalette(rawmode="RGBA") or []
    for colour in colours:
        # nearest in colour, and of two as near the opaque one: the anti-aliased edges are the translucent entries
        nearest = min(range(0, len(entries), 4), key=lambda i: sum((entries[i + k] - colour[k]) ** 2 for k in range(3)) - entries[i + 3])
        entries[nearest : nearest + 4] = [*colour, 255]
    image.putpalette(entries, rawmode="RGBA")
    return image


def badge_png(title: str, primary: str, accent: str, caption: str = "") -> bytes:
    """A round badge: a disc in the primary colour inside an accent ring, the title in white, a caption in the accent colour."""
    from PIL import Image, ImageDraw  # here, not at the top: every command of the CLI imports this module, only mint draws

    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring, fill = _rgb(accent), _rgb(primary)
    draw.ellipse((4, 4, SIZE - 5, SIZE - 5), fill=(*ring, 255))
    draw.ellipse((22, 22, SIZE - 23, SIZE - 23), fill=(*fill, 255))
    draw.ellipse((34, 34, SIZE - 35, SIZE - 35), outline=(255, 255, 255, 255), width=3)
    font, lines = _fit(title, 250, 5)
    step = font.getbbox("Ag")[3] + 6  # one line height for every line, descenders or not
    y = (SIZE - step * len(lines) + 6) / 2 - (14 if caption else 0)
    for line in lines:
        draw.text((SIZE / 2, y), line, fill=(255, 255, 255, 255), font=font, anchor="mt")
        y += step
    if caption:
        small = _font(18)
        draw.text((SIZE / 2, y + 14), caption, fill=(*ring, 255), font=small, anchor="mt")
    # A palette of 64 colours holds the flat discs and the text's anti-aliasing alike, the eye sees no difference, and
    # the file is a third of the RGBA one: a statewide catalog publishes one per badge class (tens of thousands).
    palette = _exact(image.quantize(colors=PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE), (ring, fill, WHITE))
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG."""
    if not png.startswith(SIGNATURE):
        raise ArtworkError("not a PNG image (the signature is missing)")
    chunks, offset = [], len(SIGNATURE)
    while offset < len(png):
        if offset + 8 > len(png):
            raise ArtworkError("the PNG ends inside a chunk header")
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        end = offset + 12 + length
        if end > len(png):
            raise ArtworkError(f"the PNG chunk {kind.decode('latin-1')!r} runs past the end of the file")
        chunks.append((kind, png[offset + 8 : offset + 8 + length]))
        offset = end
    if not chunks or chunks[0][0] != b"IHDR":
        raise ArtworkError("the PNG has no IHDR chunk first")
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _keyword(data: bytes) -> bytes:
    return data.split(b"\0", 1)[0]


def bake(png: bytes, payload: str, keyword: bytes = KEYWORD) -> bytes:
    """The PNG with `payload` in an uncompressed iTXt chunk right after IHDR; any earlier one of that keyword is replaced.

    The keyword is `openbadges` for a 2.0 assertion and `openbadgecredential` (KEYWORD_3) for a 3.0 credential.
    """
    chunks = [(kind, data) for kind, data in _chunks(png) if not (kind in _TEXT_CHUNKS and _keyword(data) == keyword)]
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
    itxt = keyword + b"\0\0\0\0\0" + payload.encode("utf-8")
    chunks.insert(1, (b"iTXt", itxt))
    return SIGNATURE + b"".join(_chunk(kind, data) for kind, data in chunks)


def baked(png: bytes, keyword: bytes = KEYWORD) -> str | None:
    """The text of the PNG's chunk of that keyword (iTXt, compressed or not, or tEXt), or None."""
    for kind, data in _chunks(png):
        if kind not in _TEXT_CHUNKS or _keyword(data) != keyword:
            continue
        rest = data[len(keyword) + 1 :]
        if kind == b"tEXt":
            return rest.decode("latin-1")
        if kind == b"zTXt":
            return zlib.decompress(rest[1:]).decode("latin-1")
        compressed = rest[:1] == b"\1"
        text = rest[2:].split(b"\0", 2)[2]  # after the language tag and the translated keyword
        return (zlib.decompress(text) if compressed else text).decode("utf-8")
    return None
