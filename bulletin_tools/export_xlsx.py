"""Every table as one sheet of an .xlsx workbook that behaves in Excel and LibreOffice.

Header row frozen and bold, an autofilter, column widths from the content, dates as real dates,
booleans and numbers as themselves. Every text cell is stored as text, never as a formula, and
text that a spreadsheet could evaluate (`=`, `+`, `-`, `@`, tab, CR first) also gets Excel's
quote-prefix flag: exactly what typing a leading ' does. The text itself is unchanged, so
`start`/`end` offsets still match. The file is renamed into place only when complete, and its
bytes depend only on the tables (fixed zip and document timestamps), so reruns diff clean.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import OutputError
from .export import atomic_path, is_formula_like
from .export_spec import TableSpec, iso_day, typed_values

MAX_ROWS = 1_048_576  # Excel's sheet limit, header included
MAX_CELL = 32_767  # Excel's limit on characters in a cell
TRUNCATED = "\u2026[truncated]"
WIDTH_SAMPLE = 500
WIDTHS = (6, 60)  # narrowest and widest column, in characters
DATE_FORMAT = "yyyy-mm-dd"
FIXED_TIME = "1980-01-01T00:00:00Z"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# XML 1.0 cannot hold these control characters; each becomes U+FFFD so offsets stay aligned.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_xlsx(
    tables: Sequence[tuple[TableSpec, Sequence[Mapping[str, Any]]]],
    path: str | Path,
    *,
    force: bool = True,
    warnings: list[str] | None = None,
) -> list[int]:
    """Write each (spec, rows) as a sheet; returns row counts. Truncations go to `warnings`."""
    openpyxl = _openpyxl()
    for spec, rows in tables:
        if len(rows) + 1 > MAX_ROWS:
            raise OutputError(
                f"{path}: table {spec.name} has {len(rows)} rows, more than a sheet holds "
                "(write a .sqlite file or --format parquet instead)"
            )
    workbook = openpyxl.Workbook(write_only=True)
    sheets = _Sheets(warnings if warnings is not None else [])
    try:
        counts = [sheets.add(workbook, spec, rows) for spec, rows in tables]
        with atomic_path(path, force=force) as temp:
            workbook.save(temp)
            _make_reproducible(temp)
    except BaseException:
        _discard(workbook)
        raise
    return counts


def _discard(workbook: Any) -> None:
    """Close a half-built workbook's sheet streams and temp files (no noise at exit)."""
    for sheet in workbook.worksheets:
        with contextlib.suppress(Exception):
            if not sheet.closed:
                sheet.close()
        writer = getattr(sheet, "_writer", None)
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.cleanup()


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise OutputError("writing .xlsx needs openpyxl: pip install openpyxl") from None
    return openpyxl


class _Sheets:
    """Builds sheets with shared styles (one Font object keeps styles.xml small)."""

    def __init__(self, warnings: list[str]):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.cell_type = WriteOnlyCell
        self.bold = Font(bold=True)
        self.warnings = warnings

    def add(self, workbook: Any, spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> int:
        sheet = workbook.create_sheet(_sheet_title(spec.name))
        sheet.freeze_panes = "A2"
        self._set_widths(sheet, spec, rows)
        header = []
        for column in spec.columns:
            cell = self.cell_type(sheet, value=column)
            cell.font = self.bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            typed = zip(typed_values(spec, row), spec.types, strict=True)
            sheet.append([self._cell(sheet, spec, value, kind) for value, kind in typed])
        if spec.columns:
            sheet.auto_filter.ref = f"A1:{_column_letter(len(spec.columns))}{len(rows) + 1}"
        return len(rows)

    def _cell(self, sheet: Any, spec: TableSpec, value: Any, kind: str) -> Any:
        if value is None or isinstance(value, bool | int | float):
            return value
        if kind == "date" and iso_day(value) is not None:
            cell = self.cell_type(sheet, value=iso_day(value))
            cell.number_format = DATE_FORMAT
            return cell
        return self._text(sheet, spec, str(value))

    def _text(self, sheet: Any, spec: TableSpec, text: str) -> Any:
        """Plain text as is; formula-like text as a string cell with the quote-prefix flag."""
        text = ILLEGAL.sub("\ufffd", text)
        if len(text) > MAX_CELL:
            self.warnings.append(
                f"{spec.name}: a cell longer than Excel's {MAX_CELL} characters was truncated"
            )
            text = text[: MAX_CELL - len(TRUNCATED)] + TRUNCATED
        if not is_formula_like(text):
            return text
        cell = self.cell_type(sheet, value=text)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula; keep it text
        cell.quotePrefix = True
        return cell

    def _set_widths(self, sheet: Any, spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> None:
        sample = rows[:WIDTH_SAMPLE]
        for number, column in enumerate(spec.columns, start=1):
            longest = max([len(column) + 2] + [_shown_length(r.get(column)) for r in sample])
            width = min(max(longest, WIDTHS[0]), WIDTHS[1])
            sheet.column_dimensions[_column_letter(number)].width = width


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    text = str(value)
    return max(len(line) for line in text.split("\n")) + 1


def _sheet_title(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "table"


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _make_reproducible(path: Path) -> None:
    """Fix the zip entries' times and the document's created/modified stamps, in place."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _fixed_core_times(data)
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def _fixed_core_times(data: bytes) -> bytes:
    pattern = rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)"
    return re.sub(pattern, rb"\g<1>" + FIXED_TIME.encode() + rb"\g<3>", data)
