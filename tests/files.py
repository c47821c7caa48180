"""Test files made on the fly: PDFs with a text layer or scanned pages, office files built member by member,
images with printed text for OCR, and hostile inputs (zip and pixel bombs, entity expansion)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def pdf_with_text(*lines: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        page.drawString(72, y, line)
        y -= 18
    page.showPage()
    page.save()
    return buffer.getvalue()


WINDOWS_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240


# --- office files, built member by member -------------------------------------------------------------------

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{target}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def zip_members(members: dict[str, str | bytes], *, stored_first: bool = False) -> bytes:
    """A ZIP of the members in order; with `stored_first`, the first is left uncompressed (ODF's mimetype)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for position, (name, content) in enumerate(members.items()):
            method = zipfile.ZIP_STORED if stored_first and position == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def word_paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx_file(body: str, *, document: str | None = None, parts: dict[str, str] | None = None) -> bytes:
    """A DOCX whose body is `body` (WordprocessingML), or whose word/document.xml is `document` verbatim."""
    xml = document or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NAMESPACE}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return zip_members(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _PACKAGE_RELS.format(target="word/document.xml"),
            "word/document.xml": xml,
            **(parts or {}),
        }
    )


def docx_with_paragraphs(*paragraphs: str) -> bytes:
    return docx_file("".join(word_paragraph(text) for text in paragraphs))


@dataclass(frozen=True)
class Inline:
    """An XLSX cell holding its string inline instead of in the shared strings."""

    text: str


Cell = str | int | float | bool | Inline
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _cell_xml(reference: str, value: Cell, shared: list[str]) -> str:
    if isinstance(value, Inline):
        return f'<c r="{reference}" t="inlineStr"><is><t>{escape(value.text)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, str):
        shared.append(value)
        return f'<c r="{reference}" t="s"><v>{len(shared) - 1}</v></c>'
    return f'<c r="{reference}"><v>{value}</v></c>'


def xlsx_with_sheets(sheets: dict[str, list[list[Cell]]]) -> bytes:
    """An XLSX with the sheets in the given order. The sheet files are numbered the other way round, as after
    sheets were moved in Excel, so only the workbook tells their order."""
    shared: list[str] = []
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PACKAGE_RELS.format(target="xl/workbook.xml"),
    }
    entries, relationships = [], []
    for position, (name, rows) in enumerate(sheets.items(), start=1):
        number = len(sheets) - position + 1
        xml_rows = "".join(
            f'<row r="{r}">'
            + "".join(_cell_xml(f"{chr(65 + c)}{r}", value, shared) for c, value in enumerate(row))
            + "</row>"
            for r, row in enumerate(rows, start=1)
        )
        members[f"xl/worksheets/sheet{number}.xml"] = (
            f'<worksheet xmlns="{_SHEET_NS}"><sheetData>{xml_rows}</sheetData></worksheet>'
        )
        entries.append(f'<sheet name="{escape(name)}" sheetId="{position}" r:id="rId{position}"/>')
        relationships.append(
            f'<Relationship Id="rId{position}" Target="worksheets/sheet{number}.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        )
    members["xl/workbook.xml"] = (
        f'<workbook xmlns="{_SHEET_NS}" xmlns:r="{_REL_NS}"><sheets>{"".join(entries)}</sheets></workbook>'
    )
    members["xl/_rels/workbook.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(relationships)}</Relationships>"
    )
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared)
    members["xl/sharedStrings.xml"] = f'<sst xmlns="{_SHEET_NS}" count="{len(shared)}">{items}</sst>'
    return zip_members(members)


ODT_TYPE = "application/vnd.oasis.opendocument.text"
_ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"'
)


def odt_file(body: str, *, manifest_entry: str = "") -> bytes:
    """An ODT whose office:text holds `body` (text:h / text:p elements)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NAMESPACES}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT_TYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{manifest_entry}</manifest:file-entry></manifest:manifest>"
    )
    return zip_members(
        {"mimetype": ODT_TYPE, "content.xml": content, "META-INF/manifest.xml": manifest}, stored_first=True
    )


# --- hostile archives and images ----------------------------------------------------------------------------


def docx_bomb(megabytes: int = 300) -> bytes:
    """A DOCX of a few hundred KB whose body expands to `megabytes` of blanks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{W_NAMESPACE}"><w:body>'.encode())
            blanks = b" " * (1 << 20)
            for _ in range(megabytes):
                member.write(blanks)
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def with_declared_size(archive: bytes, member: str, size: int) -> bytes:
    """The archive with `member`'s uncompressed size rewritten to a lie (local header, central directory)."""
    data = bytearray(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as reader:
        info = reader.getinfo(member)
    assert info.file_size < 0xFFFFFFFF, "only for members without ZIP64 sizes"
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        (name_length,) = struct.unpack_from("<H", data, central + 28)
        if bytes(data[central + 46 : central + 46 + name_length]) == member.encode():
            struct.pack_into("<I", data, central + 24, size)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def zip_with_members(count: int) -> bytes:
    """A DOCX-looking archive with `count` tiny members."""
    members: dict[str, str | bytes] = {"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": "<x/>"}
    members.update({f"word/media/part{number}.xml": "" for number in range(count)})
    return zip_members(members)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + f']><w:document xmlns:w="{W_NAMESPACE}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)


def png_pixel_bomb(width: int = 12_000, height: int = 12_000) -> bytes:
    """A real, tiny PNG (1-bit grey, all black) of `width` x `height` pixels: decoding it would need
    width x height bytes and more."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# --- scans: text drawn into pixels, for OCR -----------------------------------------------------------------

A4_AT_200_DPI = (1654, 2339)
_FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def scanned_page(*lines: str, size: tuple[int, int] = A4_AT_200_DPI, font_px: int = 40) -> Image.Image:
    """A white page with the lines printed in black, as a scanner at 200 dpi would see a 14 pt letter."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(_FONT), font_px)
    for number, line in enumerate(lines):
        draw.text((150, 200 + number * int(font_px * 1.6)), line, font=font, fill=0)
    return page


def image_bytes(image: Image.Image, kind: str = "PNG", **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def sideways_jpeg(page: Image.Image) -> bytes:
    """The page stored turned a quarter left, with the EXIF orientation (6) that tells viewers to turn it
    back: what a phone held sideways produces."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return image_bytes(page.rotate(90, expand=True), "JPEG", quality=90, exif=exif)


def multipage_tiff(*pages: Image.Image) -> bytes:
    """A fax-style (CCITT group 4) TIFF, one page per image."""
    first, *rest = (page.convert("1") for page in pages)
    return image_bytes(first, "TIFF", save_all=True, append_images=rest, compression="group4")


def pdf_of_pages(*pages: Image.Image | str, repeat: int = 1) -> bytes:
    """A PDF with one page per item: images fill an A4 page (a scan, no text layer); strings become a page
    with a text layer. The whole sequence is repeated `repeat` times (an image is stored once)."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=A4)
    for page in pages:
        if isinstance(page, Image.Image):
            document.beginForm(f"scan{id(page)}")
            document.drawImage(ImageReader(page), 0, 0, width=A4[0], height=A4[1])
            document.endForm()
    for _ in range(repeat):
        for page in pages:
            if isinstance(page, str):
                document.drawString(72, 800, page)
            else:
                document.doForm(f"scan{id(page)}")
            document.showPage()
    document.save()
    return buffer.getvalue()
