"""Reading the reports coseval writes (-o FILE as CSV, --format json, show --format jsonl) into rows with typed,
full-precision numbers: a pandas DataFrame when pandas is importable, else a list of dicts."""

import csv
import io
import json
import math
import os
import re

_INT = re.compile(r"[+-]?[0-9]+\Z")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z|[+-]?(?:inf|infinity|nan)\Z",
                     re.IGNORECASE)


def _read_text(path):
    with open(path, "r", encoding="utf-8", newline="") as f:
        text = f.read()
    return text[1:] if text.startswith("\ufeff") else text


def _json_rows(text, path):
    """(rows, meta) of a JSON document ({..., "rows": [...]}), a JSON array of rows, or JSON Lines."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg != "Extra data":
            raise ValueError("%s: line %d: not valid JSON: %s" % (path, e.lineno, e.msg)) from None
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e2:
                    raise ValueError("%s: line %d: not valid JSON: %s" % (path, n, e2.msg)) from None
        return rows, {}
    if isinstance(doc, list):
        return doc, {}
    if isinstance(doc, dict) and isinstance(doc.get("rows"), list):
        return doc["rows"], {k: v for k, v in doc.items() if k != "rows"}
    raise ValueError("%s: a JSON document without \"rows\" is not a coseval report" % path)


def _csv_rows(text):
    """Rows of a CSV report as dicts of str, with "" (an absent value) as None, in column order."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return [], []
    rows = []
    for rec in reader:
        if not rec:
            continue
        rows.append({name: (rec[i] if i < len(rec) and rec[i] != "" else None) for i, name in enumerate(header)})
    return rows, header


def _column_kind(values, from_csv):
    """int, float or None (leave as is) for the non-null values of one column."""
    kind = int
    seen = False
    for v in values:
        if v is None:
            continue
        seen = True
        if from_csv:
            if _INT.match(v):
                continue
            if _NUMBER.match(v):
                kind = float
                continue
            return None
        if isinstance(v, bool):
            return None
        if isinstance(v, int):
            continue
        if isinstance(v, float):
            kind = float
            continue
        return None
    return kind if seen else None


def _typed(rows, columns, from_csv):
    """Converts each numeric column to int (every value an integer) or float (any other number), alike for
    CSV text and JSON numbers, so a CSV and a JSON of the same result give the same values."""
    kinds = {}
    for col in columns:
        kind = _column_kind((r.get(col) for r in rows), from_csv)
        if kind is None:
            continue
        kinds[col] = kind
        for r in rows:
            v = r.get(col)
            if v is not None:
                r[col] = kind(v)
    return kinds


def _columns(rows, header):
    cols = list(header)
    seen = set(cols)
    for r in rows:
        for k in r:
            if k not in seen:
                seen.add(k)
                cols.append(k)
    return cols


def _frame(pd, rows, columns, kinds, meta):
    data = {}
    for col in columns:
        values = [r.get(col) for r in rows]
        kind = kinds.get(col)
        if kind is int:
            if any(v is None for v in values):
                data[col] = pd.array(values, dtype="Int64")
            else:
                data[col] = pd.array(values, dtype="int64")
        elif kind is float:
            data[col] = pd.array([math.nan if v is None else v for v in values], dtype="float64")
        else:
            data[col] = pd.array(values, dtype=object)
    df = pd.DataFrame(data, columns=columns)
    if meta:
        df.attrs["coseval"] = meta
    return df


def read_report(path, as_frame=None):
    """Reads a report coseval wrote: CSV (-o FILE), JSON (--format json: its "rows"; the rest of the document,
    the versions, options, database and runs, goes to DataFrame.attrs["coseval"]) or JSON Lines
    (show --format jsonl); the format is read from the content. Numbers come back exactly as written (the
    shortest text that reads back as the same double): a column whose values are all integers holds int,
    any other numeric column float; absent values (CSV "", JSON null) are None (NaN or <NA> in a DataFrame).
    In CSV every field is text, so a text column whose every value looks like a number is read as numbers.

    as_frame: None (a pandas DataFrame when pandas is importable, else a list of dicts), True (a DataFrame;
    ImportError without pandas) or False (a list of dicts)."""
    path = os.fspath(path)
    text = _read_text(path)
    head = text.lstrip()
    if head.startswith("{") or head.startswith("["):
        rows, meta = _json_rows(text, path)
        for n, r in enumerate(rows):
            if not isinstance(r, dict):
                raise ValueError("%s: row %d is not a JSON object" % (path, n))
        rows = [dict(r) for r in rows]
        columns = _columns(rows, [])
        kinds = _typed(rows, columns, from_csv=False)
    else:
        rows, header = _csv_rows(text)
        meta = {}
        columns = _columns(rows, header)
        kinds = _typed(rows, columns, from_csv=True)
    if as_frame is False:
        return rows
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise
        return rows
    return _frame(pd, rows, columns, kinds, meta)
