"""Writing a checked return as xlsx, CSV or JSON. Text cells are neutralised like
every export (a name starting with = never runs as a formula in the reader's
spreadsheet)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from institutions.resources import neutralise

from .generate import StatReturn

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _cell(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def to_csv(ret: StatReturn) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in ret.headers])
    for row in ret.rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(ret: StatReturn) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ret.period.label
    ws.append([_cell(h) for h in ret.headers])
    for row in ret.rows:
        ws.append([float(v) if isinstance(v, Decimal) else _cell(v) for v in row])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_json(ret: StatReturn) -> bytes:
    """The rows keyed by the definition's column values, with the period, scope and
    totals: a machine-readable return (amounts as strings, never floats)."""

    def plain(v: Any) -> Any:
        return str(v) if isinstance(v, Decimal) else v

    data = {
        "definition": ret.definition.slug,
        "period": ret.period.label,
        "start": ret.period.start.isoformat(),
        "end": ret.period.end.isoformat(),
        "institution": ret.root.code,
        "generated_at": ret.generated_at.isoformat(),
        "columns": [{"key": k, "header": h} for k, h in zip(ret.keys, ret.headers, strict=True)],
        "rows": [{k: plain(v) for k, v in zip(ret.keys, row, strict=True)} for row in ret.rows],
        "totals": {k: plain(v) for k, v in ret.totals.items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def render(ret: StatReturn, fmt: str) -> bytes:
    return {"xlsx": to_xlsx, "csv": to_csv, "json": to_json}[fmt](ret)
