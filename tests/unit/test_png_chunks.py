"""The PNG chunk walk: whole files give their image data and EXIF; anything cut or altered fails."""

import struct
import zlib

import pytest

from anxun.inspections.png_chunks import BrokenPng, png_parts

SIGNATURE = b"\x89PNG\r\n\x1a\n"
IHDR = struct.pack(">IIBBBBB", 2, 1, 8, 0, 0, 0, 0)  # 2 x 1 greyscale
PIXELS = zlib.compress(b"\x00\x10\x20")  # filter byte 0, two pixels


def chunk(kind: bytes, body: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + body) if crc is None else crc
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


WHOLE = (
    SIGNATURE
    + chunk(b"IHDR", IHDR)
    + chunk(b"IDAT", PIXELS[:5])
    + chunk(b"IDAT", PIXELS[5:])
    + chunk(b"eXIf", b"MM\x00*")
    + chunk(b"IEND", b"")
)


def test_idat_chunks_are_joined_and_exif_after_them_is_found():
    parts = png_parts(WHOLE)
    assert parts.image_data == PIXELS
    assert parts.exif == b"MM\x00*"
    assert zlib.decompress(parts.image_data) == b"\x00\x10\x20"


def test_bytes_after_iend_are_ignored():
    assert png_parts(WHOLE + b"trailing").image_data == PIXELS


BROKEN = {
    "no signature": WHOLE[8:],
    "cut before IEND": WHOLE[:-12],
    "cut inside a chunk": WHOLE[:40],
    "flipped bit in IDAT": WHOLE.replace(PIXELS[:5], bytes([PIXELS[0] ^ 1]) + PIXELS[1:5]),
    "wrong CRC": SIGNATURE + chunk(b"IHDR", IHDR, crc=0) + chunk(b"IEND", b""),
    "no IDAT": SIGNATURE + chunk(b"IHDR", IHDR) + chunk(b"IEND", b""),
    "length past the end": SIGNATURE + struct.pack(">I4s", 2**31, b"IDAT") + b"\0" * 8,
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_files_are_refused(case):
    with pytest.raises(BrokenPng):
        png_parts(BROKEN[case])
