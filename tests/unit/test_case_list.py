"""The case list: cards on a phone, sortable, shows the assignee, exports the current filter."""
import uuid
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, make_case, tenant

SLUG = "batubara"


def _two_cases(app) -> tuple[str, str, str]:
    """Two cases whose citizens share a fresh word; (word, first ticket, second ticket)."""
    word = uuid.uuid4().hex[:8]
    with app.app_context(), tenant_context(tenant(SLUG)):
        first = make_case(SLUG, data=citizen_data(SLUG, name=f"Awal {word}"))
        second = make_case(SLUG, data=citizen_data(SLUG, name=f"Akhir {word}"))
        db.session.commit()
        return word, first.ticket, second.ticket


def test_every_cell_carries_its_label_for_the_phone_card(app, staff):
    word, _first, _second = _two_cases(app)
    page = staff("intake_officer", SLUG).get(f"/cases/?view=all&q={word}").get_data(as_text=True)
    assert 'class="case-table cards"' in page
    assert 'data-label="Warga"' in page and 'data-label="Tahap"' in page


def test_the_list_shows_the_assignee(app, staff):
    word, _first, _second = _two_cases(app)  # opened by the front office, which waits at the entry
    page = staff("manager", SLUG).get(f"/cases/?view=all&q={word}").get_data(as_text=True)
    assert "<th" in page and "Petugas</" in page
    with app.app_context():
        from app.accounts.models import User
        name = db.session.scalar(select(User.name).where(User.email == f"intake_officer@{SLUG}.demo"))
    assert name in page


def test_the_list_sorts_by_a_whitelisted_key(app, staff):
    word, first, second = _two_cases(app)
    client = staff("manager", SLUG)
    by_due = client.get(f"/cases/?view=all&q={word}").get_data(as_text=True)
    assert by_due.index(first) < by_due.index(second)
    newest = client.get(f"/cases/?view=all&q={word}&sort=received").get_data(as_text=True)
    assert newest.index(second) < newest.index(first)
    assert 'aria-sort' in newest
    odd = client.get(f"/cases/?view=all&q={word}&sort=citizen.nik;drop")
    assert odd.status_code == 200 and odd.get_data(as_text=True).index(first) < \
        odd.get_data(as_text=True).index(second)


def test_export_is_the_current_filter_as_excel_and_audited(app, staff):
    word, first, second = _two_cases(app)
    client = staff("manager", SLUG)
    page = client.get(f"/cases/?view=all&q={word}").get_data(as_text=True)
    assert "Ekspor Excel" in page
    response = client.get(f"/cases/export.xlsx?view=all&q={word}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(response.data)).active
    tickets = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {first, second} <= tickets
    with app.app_context(), tenant_context(tenant(SLUG)):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.export")
                                  .order_by(AuditEvent.at.desc()))
        assert event is not None and event.detail["rows"] == 2 and event.detail["q"] == word


def test_export_is_capped_with_a_message(app, staff, monkeypatch):
    import app.reports.case_list as case_list

    monkeypatch.setattr(case_list, "EXPORT_LIMIT", 1)
    word, _first, _second = _two_cases(app)
    response = staff("manager", SLUG).get(f"/cases/export.xlsx?view=all&q={word}")
    values = [v for row in load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True)
              for v in row if v]
    assert any("1 baris pertama" in str(v) for v in values)
    with app.app_context():
        prefix = tenant(SLUG).ticket_prefix
    assert sum(1 for v in values if str(v).startswith(f"{prefix}-")) == 1


def test_a_formula_in_a_name_reaches_excel_as_text(app, staff):
    word = uuid.uuid4().hex[:8]
    with app.app_context(), tenant_context(tenant(SLUG)):
        make_case(SLUG, data=citizen_data(SLUG, name=f"=HYPERLINK(1) {word}"))
        db.session.commit()
    response = staff("manager", SLUG).get(f"/cases/export.xlsx?view=all&q={word}")
    names = [row[1] for row in load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True)]
    assert f"'=HYPERLINK(1) {word}" in names


def test_a_phone_can_sort_from_the_filters_too(staff):
    page = staff("manager", SLUG).get("/cases/?view=all&sort=assignee").get_data(as_text=True)
    assert '<select name="sort"' in page and '<option value="assignee" selected' in page
