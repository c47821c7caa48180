"""Photos: their EXIF time and GPS position, and the derivatives readers are served (JPEGs fitted into each of
PANTAU_THUMBNAIL_SIZES, turned upright, with no EXIF at all, so no location). The original is kept as it was
uploaded. Pure (bytes in, bytes out), run in a worker thread; hub.documents stores what it returns.

Malformed EXIF is not the photo's fault: its time and position are ignored (PhotoPosition.UNREADABLE) and the
derivatives are made from the pixels. Pixels that cannot be decoded (or too many of them) are PhotoUnreadable:
no derivative, and text extraction then decides whether the document is rejected.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import warnings
from dataclasses import dataclass, field
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError

from hub.documents.sniff import JPEG, PNG, TIFF

PHOTO_TYPES = frozenset({JPEG, PNG, TIFF})
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATE_TIME_ORIGINAL = 0x9003
_DATE_TIME = 0x0132
_GPS_LATITUDE_REF, _GPS_LATITUDE, _GPS_LONGITUDE_REF, _GPS_LONGITUDE = 1, 2, 3, 4
_QUALITY = 85
# What Pillow raises on malformed images and EXIF (as workers/extraction/images.py lists).
_READ_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    KeyError,
    TypeError,
    IndexError,
    ZeroDivisionError,
    AttributeError,
    struct.error,
    Image.DecompressionBombError,
)


class PhotoUnreadable(Exception):
    """The pixels cannot be decoded, or there are more of them than allowed."""


@dataclass(frozen=True)
class Derived:
    box: int
    data: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class PhotoFacts:
    width: int
    height: int
    taken_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    exif_readable: bool = True
    derivatives: list[Derived] = field(default_factory=list)


def _degrees(value: object, reference: object, negative: str) -> float:
    """An EXIF GPS coordinate (degrees, minutes, seconds as rationals) and its hemisphere, as a number."""
    if not isinstance(value, tuple | list) or len(value) != 3:
        raise ValueError(f"a GPS coordinate is three numbers, not {value!r}")
    degrees, minutes, seconds = (float(part) for part in value)
    number = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(number):
        raise ValueError("a GPS coordinate with a zero denominator")
    ref = reference.decode(errors="replace") if isinstance(reference, bytes) else str(reference)
    return -number if ref.strip().upper() == negative else number


def _when(text: object) -> datetime | None:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    if not isinstance(text, str) or not text.strip("\x00 "):
        return None
    return datetime.strptime(text.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")


def read_exif(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    """(taken at, latitude, longitude) from the EXIF; raises one of _READ_ERRORS when it is malformed."""
    exif = image.getexif()
    taken = _when(exif.get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL) or exif.get(_DATE_TIME))
    gps = exif.get_ifd(_GPS_IFD)
    if _GPS_LATITUDE not in gps or _GPS_LONGITUDE not in gps:
        return taken, None, None
    latitude = _degrees(gps[_GPS_LATITUDE], gps.get(_GPS_LATITUDE_REF, "N"), "S")
    longitude = _degrees(gps[_GPS_LONGITUDE], gps.get(_GPS_LONGITUDE_REF, "E"), "W")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"GPS position out of range: {latitude}, {longitude}")
    return taken, round(latitude, 6), round(longitude, 6)


def _corrupt(image: Image.Image, caught: list[warnings.WarningMessage]) -> bool:
    """EXIF bytes that Pillow could not read: it warned, or found no tag in an EXIF block that is there."""
    if any("exif" in str(warning.message).lower() for warning in caught):
        return True
    raw = image.info.get("exif")
    return isinstance(raw, bytes) and len(raw) > 6 and len(image.getexif()) == 0


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own cap decides
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise PhotoUnreadable("the image has too many pixels") from None
    except _READ_ERRORS as error:
        raise PhotoUnreadable(f"the image cannot be read: {error}") from error
    width, height = image.size
    if width * height > max_pixels:
        raise PhotoUnreadable(f"the image is {width} x {height} pixels; at most {max_pixels} are accepted")
    return image


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except _READ_ERRORS:
        return image  # a malformed orientation: the pixels as they are


def _derive(image: Image.Image, box: int) -> Derived:
    copy = image.copy()
    copy.thumbnail((box, box), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    # No `exif=` and no `icc_profile=`: Pillow writes neither unless asked, so nothing of the original's
    # metadata (its GPS position above all) reaches the derivative.
    copy.save(output, "JPEG", quality=_QUALITY, optimize=True)
    return Derived(box=box, data=output.getvalue(), width=copy.width, height=copy.height)


def read_photo(data: bytes, boxes: tuple[int, ...], max_pixels: int) -> PhotoFacts:
    """The photo's EXIF facts and its derivatives, one per box that is smaller than the photo (the smallest
    box always, so that every photo has a thumbnail)."""
    image = _open(data, max_pixels)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            taken, latitude, longitude = read_exif(image)
        # Pillow reads malformed EXIF as "nothing", with a warning: it is malformed, not absent.
        readable = not _corrupt(image, caught)
    except _READ_ERRORS:
        readable = False
    if not readable:
        taken, latitude, longitude = None, None, None
    try:
        image.seek(0)
        image.load()
        pixels = _upright(image)
        pixels = pixels.convert("RGB") if pixels.mode != "RGB" else pixels
        longest = max(pixels.size)
        wanted = [box for box in boxes if box < longest] or list(boxes[:1])
        derivatives = [_derive(pixels, box) for box in wanted]
    except _READ_ERRORS as error:
        raise PhotoUnreadable(f"the image cannot be decoded: {error}") from error
    return PhotoFacts(
        width=pixels.width,
        height=pixels.height,
        taken_at=taken,
        latitude=latitude,
        longitude=longitude,
        exif_readable=readable,
        derivatives=derivatives,
    )
