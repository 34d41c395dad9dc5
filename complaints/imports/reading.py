"""Reading an xlsx or csv file row by row, without holding it in memory: a migration
file has hundreds of thousands of rows, and the worker that reads it must stay small."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.utils.translation import gettext as _

CHUNK = 1 << 20


class TableError(ValueError):
    """The file cannot be read at all (the message says why, in the user's language)."""


@dataclass
class Table:
    header: list[str]
    #: An estimate of the data rows (for progress), or None.
    size_hint: int | None
    #: (spreadsheet row number, {column: text}); the header is row 1.
    rows: Iterator[tuple[int, dict[str, str]]]


def open_table(name: str, stream: IO[bytes]) -> Table:
    lower = name.lower()
    if lower.endswith(".csv"):
        return _csv(stream)
    if lower.endswith(".xlsx"):
        return _xlsx(stream)
    raise TableError(_("只支持 .xlsx 或 .csv 文件。"))


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """All rows of a small file as {column: text} (tests and the template's check)."""
    return [row for _n, row in open_table(name, io.BytesIO(content)).rows]


def _encoding(stream: IO[bytes]) -> tuple[str, int]:
    """The file's encoding (UTF-8, with or without BOM, else GBK/GB18030) and its
    number of lines, read once in chunks."""
    lines = 0
    for encoding in ("utf-8-sig", "gb18030"):
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return encoding, lines
    raise TableError(_("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"))


def _csv(stream: IO[bytes]) -> Table:
    encoding, lines = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    header = [h.strip() for h in next(reader, [])]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            yield n, {h: (v or "").strip() for h, v in zip(header, values, strict=False) if h}

    return Table(header, max(lines - 1, 0), rows())


def _xlsx(stream: IO[bytes]) -> Table:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise TableError(_("无法读取 xlsx 文件：%(e)s") % {"e": e}) from None
    ws = wb.active
    if ws is None:
        raise TableError(_("文件中没有工作表。"))
    values = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values, ())]
    size = ws.max_row - 1 if ws.max_row else None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for n, row in enumerate(values, start=2):
                if row is None or all(v in (None, "") for v in row):
                    continue
                yield n, {h: _cell(v) for h, v in zip(header, row, strict=False) if h}
        finally:
            wb.close()

    return Table(header, size, rows())


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
