"""Streaming writers: rows in, byte chunks out, with memory bounded whatever the number of rows."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import anyio.to_thread
import xlsxwriter

CSV_BATCH_ROWS = 500
FILE_CHUNK = 256 * 1024
Row = Sequence[Any]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else value


def _csv_safe(value: Any) -> Any:
    """Spreadsheet formula injection: text starting with = + - @ is prefixed with a quote."""
    text = _cell(value)
    if isinstance(text, str) and text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


async def csv_stream(header: Row, rows: AsyncIterator[Row]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so spreadsheet programs read UTF-8 (Indonesian names) correctly
    writer.writerow(header)
    count = 0
    async for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
        count += 1
        if count % CSV_BATCH_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def xlsx_stream(sheet: str, header: Row, rows: AsyncIterator[Row]) -> AsyncIterator[bytes]:
    """xlsxwriter in constant-memory mode writes each row to a temporary file as it comes; the finished file
    is then streamed in chunks and removed. Memory stays flat; disk holds one compressed workbook."""
    handle, path = tempfile.mkstemp(prefix="pantau-export-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
        worksheet = workbook.add_worksheet(sheet[:31])
        bold = workbook.add_format({"bold": True})
        worksheet.write_row(0, 0, list(header), bold)
        index = 1
        async for row in rows:
            worksheet.write_row(index, 0, [_cell(value) for value in row])
            index += 1
        await anyio.to_thread.run_sync(workbook.close)
        with open(path, "rb") as produced:  # noqa: ASYNC230 - chunked reads of a local temporary file
            while chunk := produced.read(FILE_CHUNK):
                yield chunk
    finally:
        os.unlink(path)
