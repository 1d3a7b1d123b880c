"""Shared Excel table styling: wrapped cells, formula-like text kept as text, a bold header row."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")


def style_table(sheet, header_row: int, widths: list[int], freeze: str) -> None:
    """Style the table whose header is `header_row`; every cell below it is wrapped text."""
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = wrap
            if cell.data_type == "f":
                # A text starting with "=" is content, never a formula Excel would run.
                cell.data_type = "s"
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
