"""PNG chunk walk with CRC checks, independent of Pillow and its process-wide settings."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"


class BrokenPng(ValueError):
    """The bytes are not a whole, consistent PNG file."""


@dataclass(frozen=True)
class PngParts:
    image_data: bytes  # the IDAT payloads joined: one zlib stream
    exif: bytes | None  # the eXIf payload, wherever it sits in the file


def png_parts(content: bytes) -> PngParts:
    """The zlib stream and EXIF of a PNG, after checking every chunk's length and CRC up to IEND.

    A file cut short, a flipped bit or a missing IEND raises BrokenPng; bytes after IEND are
    ignored, as decoders do.
    """
    if not content.startswith(SIGNATURE):
        raise BrokenPng("not a PNG signature")
    position = len(SIGNATURE)
    idat: list[bytes] = []
    exif = None
    while True:
        if position + 12 > len(content):
            raise BrokenPng("file ends before IEND")
        length, kind = struct.unpack(">I4s", content[position : position + 8])
        end = position + 8 + length
        if end + 4 > len(content):
            raise BrokenPng("chunk runs past the end of the file")
        body = content[position + 8 : end]
        (crc,) = struct.unpack(">I", content[end : end + 4])
        if zlib.crc32(kind + body) != crc:
            raise BrokenPng(f"CRC mismatch in {kind!r}")
        if kind == b"IDAT":
            idat.append(body)
        elif kind == b"eXIf":
            exif = body
        elif kind == b"IEND":
            break
        position = end + 4
    if not idat:
        raise BrokenPng("no image data")
    return PngParts(b"".join(idat), exif)
