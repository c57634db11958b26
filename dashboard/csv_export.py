"""CSV that spreadsheets open safely: every download of the dashboard goes through here."""

import csv
import re

# Where a spreadsheet may see a cell begin: at the start of ours, or after a separator of any
# locale's CSV (a comma, a semicolon, a tab, a line break), with spaces or quotes between.
# A semicolon spreadsheet splits "name;=1+1" into a second cell holding a formula, and
# quoting alone does not stop it: a quote only counts at the start of its cell, and in that
# locale most of our cells do not start where a comma ends one.
_FORMULA_AT_CELL_START = re.compile(r"(^|[,;\t\r\n])([\s\"]*?)(?=[=+\-@\t\r])")

_SEPARATORS = frozenset(",;\t\r\n")
_RISKY_STARTS = frozenset('=+-@\t\r"')

# A byte-order mark, so spreadsheet programs read UTF-8 names correctly.
BOM = "\ufeff"


def csv_cell(value) -> str:
    """Text a spreadsheet will not run: each = + - @ (or tab, CR) that starts the cell or
    follows a separator gets a quote before it, so that it reads as text in every locale."""
    text = "" if value is None else str(value)
    # Most cells neither start with what could begin a formula nor hold a separator: they
    # skip the regular expression, a million times in a large export.
    if not text or (
        text[0] not in _RISKY_STARTS and not text[0].isspace() and _SEPARATORS.isdisjoint(text)
    ):
        return text
    return _FORMULA_AT_CELL_START.sub(r"\1\2'", text)


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """Each row (a list of values) as one CSV line, every cell escaped and quoted: one holding
    a semicolon or a tab stays one cell wherever a quote at its start is honoured, not only
    one holding the comma that minimal quoting sees."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])
