"""Import of historical complaints from xlsx/csv (columns documented in
docs/import.md): ``columns`` (what a file holds), ``reading`` (row by row),
``validation`` (one row), ``writing`` (a batch), ``runner`` (a whole file, all or
nothing). The web page runs the runner in the worker (reports.history); the
``import_history`` command runs it from a path."""

from .columns import COLUMNS, IMPORTABLE_STATES, REQUIRED
from .reading import TableError, read_table
from .runner import FileReport, ImportRefused, import_file, validate_file
from .validation import ImportPreview, RowError, preview
from .writing import import_rows, write_batch

__all__ = [
    "COLUMNS",
    "IMPORTABLE_STATES",
    "REQUIRED",
    "FileReport",
    "ImportPreview",
    "ImportRefused",
    "RowError",
    "TableError",
    "import_file",
    "import_rows",
    "preview",
    "read_table",
    "validate_file",
    "write_batch",
]
