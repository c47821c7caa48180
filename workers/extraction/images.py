"""JPEG, PNG and TIFF: OCR, after the header's dimensions are checked against the pixel cap (nothing is
decoded before that). Multi-page TIFFs are read one frame at a time, up to the OCR page limit; a photo taken
sideways is turned upright by its EXIF orientation first."""

from __future__ import annotations

import io
import logging
import struct
import tempfile
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from workers.extraction import ocr
from workers.extraction.errors import ExtractionError
from workers.extraction.limits import Job

log = logging.getLogger(__name__)

_EXIF_ORIENTATION = 0x0112
_PNG_MODES = frozenset({"1", "L", "LA", "RGB", "RGBA", "P"})
# What Pillow raises on malformed headers (a damaged TIFF directory gives KeyError or TypeError, too).
_READ_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    KeyError,
    TypeError,
    IndexError,
    struct.error,
    Image.DecompressionBombError,
)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f} megapixels"


def _open(data: bytes, job: Job) -> Image.Image:
    cap = job.limits.max_image_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own cap decides
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ExtractionError(f"the image is too large: more than {_megapixels(cap)}") from None
    except _READ_ERRORS as error:
        raise ExtractionError(f"the image cannot be read: {error}") from error


def _frame_count(image: Image.Image, job: Job) -> int:
    """Frames to read (each checked against the pixel cap), at most the OCR page limit."""
    cap = job.limits.max_image_pixels
    count = 0
    try:
        while count < max(job.limits.max_ocr_pages, 1):
            image.seek(count)
            width, height = image.size
            if width * height > cap:
                where = f"page {count + 1} of the image" if count else "the image"
                raise ExtractionError(
                    f"{where} is {width} x {height} pixels ({_megapixels(width * height)}); "
                    f"at most {_megapixels(cap)} are accepted"
                )
            count += 1
    except EOFError:
        pass
    except _READ_ERRORS as error:
        raise ExtractionError(f"the image cannot be read: {error}") from error
    if count == 0:
        raise ExtractionError("the image has no page that can be read")
    if _has_frame(image, count):
        log.warning("image: OCR limited to its first %d pages", count)
    return count


def _has_frame(image: Image.Image, index: int) -> bool:
    try:
        image.seek(index)
    except _READ_ERRORS:
        return False
    return True


def _upright(image: Image.Image) -> bool:
    try:
        return int(image.getexif().get(_EXIF_ORIENTATION, 1)) in (0, 1)
    except _READ_ERRORS:
        return True  # unreadable EXIF: read the pixels as they are


def _save_frame(image: Image.Image, index: int, folder: Path) -> Path:
    """Decodes one frame (already checked against the pixel cap) to a PNG for Tesseract."""
    try:
        image.seek(index)
        frame = ImageOps.exif_transpose(image) if index == 0 and not _upright(image) else image
        frame = frame if frame.mode in _PNG_MODES else frame.convert("L")
        frame.load()
    except _READ_ERRORS as error:
        raise ExtractionError(f"page {index + 1} of the image cannot be read: {error}") from error
    path = folder / f"frame-{index + 1}.png"
    frame.save(path, "PNG")  # an error here is the machine's (disk full), not the file's
    return path


def extract_image(data: bytes, job: Job) -> str:
    image = _open(data, job)
    frames = _frame_count(image, job)
    with tempfile.TemporaryDirectory(prefix="pantau-ocr-") as scratch:
        folder = Path(scratch)
        if frames == 1 and not _has_frame(image, 1) and _upright(image):
            original = folder / "image"
            original.write_bytes(data)
            return _ocr_single(original, job)
        texts: list[str] = []
        for index in range(frames):
            if job.expired:
                log.warning("image: time budget spent after %d of %d pages", index, frames)
                break
            try:
                texts.append(ocr.tesseract(_save_frame(image, index, folder), job.call_timeout()))
            except ocr.ToolTimeout as error:
                if frames == 1:
                    raise ExtractionError(f"the image could not be read in time: {error}") from error
                log.warning("image page %d skipped: %s", index + 1, error)
        return "\n".join(texts)


def _ocr_single(path: Path, job: Job) -> str:
    try:
        return ocr.tesseract(path, job.call_timeout())
    except ocr.ToolTimeout as error:
        raise ExtractionError(f"the image could not be read in time: {error}") from error
