"""Photos made for the tests with Pillow: JPEGs with an EXIF time and GPS position (each one unique, as the
hub deduplicates identical files per region), one with its EXIF block overwritten by garbage, bytes that
only begin like a JPEG, and a tiny MP4 header."""

from __future__ import annotations

import io
import os

from PIL import Image

TAKEN = "2026:12:01 10:15:00"
JAKARTA_SELATAN = (-6.2625, 106.81892)  # the centre of 31.74
ACEH_BESAR = (3.21556, 97.28040)  # the centre of 11.01: ~1,800 km from 31.74


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return float(degrees), float(minutes), round(seconds, 4)


def photo(
    position: tuple[float, float] | None = JAKARTA_SELATAN, size: tuple[int, int] = (1600, 1200)
) -> bytes:
    """A JPEG taken sideways (EXIF orientation 6) at `position` (none: no GPS), with unique pixels."""
    image = Image.new("RGB", size, (120, 140, 160))
    image.paste(Image.frombytes("RGB", (16, 16), os.urandom(16 * 16 * 3)), (0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0132] = TAKEN
    exif.get_ifd(0x8769)[0x9003] = TAKEN
    if position is not None:
        latitude, longitude = position
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("S" if latitude < 0 else "N"), _dms(abs(latitude))
        gps[3], gps[4] = ("W" if longitude < 0 else "E"), _dms(abs(longitude))
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    return output.getvalue()


def garbled_exif() -> bytes:
    """A photo whose EXIF block (APP1 after `Exif\\0\\0`) is random bytes: the pixels are fine."""
    data = bytearray(photo())
    start = data.index(b"Exif\x00\x00")
    length = int.from_bytes(data[start - 2 : start], "big")
    data[start + 6 : start - 2 + length] = os.urandom(length - 8)
    return bytes(data)


def fake_jpeg() -> bytes:
    """The JPEG signature, then noise: it passes the upload's sniffing, and no decoder can read it."""
    return b"\xff\xd8\xff\xe0" + os.urandom(4096)


def tiny_mp4(size: int = 2048) -> bytes:
    """An ISO media `ftyp` box (brand isom) padded to `size` bytes: what sniffing types as video/mp4."""
    head = (24).to_bytes(4, "big") + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2"
    return head + os.urandom(size - len(head))


def exif_gps(data: bytes) -> dict[int, object]:
    """The GPS tags of an image's EXIF (empty when it has none)."""
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825))
