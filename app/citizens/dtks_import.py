"""Importing the region's extract of the welfare register (DTKS): check, stage, preview, confirm.

1. The upload is checked at once (`check_upload`: the header and the first rows; a small file
   completely), so a wrong file is refused at the field and nothing is saved.
2. A background job (`app.jobs.register_import`) reads the saved file row by row, checks every
   row and writes the households and members under a new *pending* import (`stage_extract`,
   in `extract_stage`), then stores its preview: what was added, changed and gone against the
   current import (`extract_compare`). One bad row refuses the whole file, with every problem
   named by row and column, and what was written is removed: the current extract never changes.
3. A person sees the preview and confirms it (the pending import becomes current, the old one
   previous) or discards it (`extract_history`).

The format (columns, accepted values) is in `extract_format` and docs/register-extract-format.md;
reading CSV and Excel in `extract_read`. Cases keep their `in_register` flag: it records what the
check said at intake, not what the register says today.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import IO

from app.citizens.extract_compare import summary_of
from app.citizens.extract_format import COLUMNS, LEGACY_COLUMNS, REQUIRED_COLUMNS
from app.citizens.extract_read import FileProblem, open_extract
from app.citizens.extract_stage import Counts, RegisterImportError, Stager
from app.citizens.models import RegisterImport
from app.tenancy.context import current_tenant_id

__all__ = ["COLUMNS", "LEGACY_COLUMNS", "PREFLIGHT_ROWS", "REQUIRED_COLUMNS", "RegisterImportError", "check_upload",
           "stage_extract"]

#: Rows the upload request checks itself before saving the file (the job checks every row).
PREFLIGHT_ROWS = 2000


def check_upload(stream: IO[bytes], region_code: str, limit: int | None = None, *, whole: bool = False) -> bool:
    """Check an upload's header and its first `limit` rows (default `PREFLIGHT_ROWS`; `whole`: every
    row); RegisterImportError if refused. Returns True when the whole file was checked. Nothing is written.
    """
    limit = None if whole else (limit or PREFLIGHT_ROWS)
    try:
        sheet = open_extract(stream)
    except FileProblem as exc:
        raise RegisterImportError([exc.message]) from None
    try:
        stager = Stager(region_code, limit=limit)
        stager.run(sheet, reopen=lambda: open_extract(stream))
        return stager.complete
    finally:
        sheet.close()
        stream.seek(0)


def stage_extract(stream: IO[bytes], batch: RegisterImport, region_code: str,
                  on_chunk: Callable[[float], None], against_id) -> Counts:
    """Write every row of the file under `batch` (pending) and store its preview against `against_id`.

    `on_chunk(share_read)` runs after each chunk is written (the job commits there). Raises
    RegisterImportError for a refused file; the caller removes what was written.
    """
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("stage_extract needs a region in context")
    try:
        sheet = open_extract(stream)
    except FileProblem as exc:
        raise RegisterImportError([exc.message]) from None
    try:
        counts = Stager(region_code, tenant_id=tenant_id, import_id=batch.id, on_chunk=on_chunk).run(
            sheet, reopen=lambda: open_extract(stream))
    finally:
        sheet.close()
    batch.row_count, batch.household_count = counts.members, counts.households
    batch.summary = summary_of(batch, counts.figures(), against_id)
    return counts
