"""The catalogue pages: every staff member reads them; only who may manage programs edits, each change audited."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.programs.catalogue import program_by_code, seed_national_programs
from app.programs.models import Program
from tests.helpers.regions import in_region, read_in_region


def _program_id(code="PKH"):
    seed_national_programs()
    return {"program_id": program_by_code(code).id}


CROSS_TENANT = {
    "programs.program": ("GET", _program_id),
    "programs.program_edit": ("GET", _program_id),
    "programs.program_deactivate": ("POST", lambda: _program_id("ATENSI")),
    "programs.program_reactivate": ("POST", lambda: _program_id("ATENSI")),
}


def _seeded(app, slug):
    return in_region(app, slug, lambda: _program_id()["program_id"])


def _own_program(app, slug, code):
    def make():
        program = program_by_code(code)
        if program is None:
            program = Program(code=code, name=f"Program uji {code}", level="regional", description="Bantuan uji.",
                              legal_basis="Perwal uji", criteria=[], ranking=[], sort_order=99)
            db.session.add(program)
            db.session.flush()
        return program.id
    return in_region(app, slug, make)


def _form(name="Bedah Rumah Kota", level="regional", rows=(), weights=(), **extra):
    data = {"code": "", "name": name, "level": level, "partner_id": "", "description": "Perbaikan rumah warga miskin.",
            "legal_basis": "Perwal 12/2024", "register_flag": ""}
    for i, (attribute, op, value, basis) in enumerate(rows):
        data.update({f"criteria-{i}-attribute": attribute, f"criteria-{i}-op": op, f"criteria-{i}-value": value,
                     f"criteria-{i}-legal_basis": basis})
    for i, (attribute, op, value, points, basis) in enumerate(weights):
        data.update({f"ranking-{i}-attribute": attribute, f"ranking-{i}-op": op, f"ranking-{i}-value": value,
                     f"ranking-{i}-points": points, f"ranking-{i}-legal_basis": basis})
    data.update(extra)
    return data


def test_every_staff_member_reads_the_catalogue_with_criteria_in_words(app, staff):
    _seeded(app, "bekasi")
    for role in ("facilitator", "intake_officer", "manager"):
        page = staff(role, "bekasi").get("/programs/")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "Program Keluarga Harapan (PKH)" in text and "Desil kesejahteraan paling tinggi 4" in text
    national = staff("facilitator", "bekasi").get("/programs/?level=national").get_data(as_text=True)
    assert "PBI-JK" in national
    assert "Tambah program" not in national


def test_the_program_page_shows_each_condition_with_its_legal_basis(app, staff):
    program_id = _seeded(app, "bekasi")
    text = staff("intake_officer", "bekasi").get(f"/programs/{program_id}").get_data(as_text=True)
    assert "Permensos 1/2018" in text and "Ubah program" not in text


def test_only_who_may_manage_programs_edits(app, staff):
    program_id = _seeded(app, "bekasi")
    for role in ("intake_officer", "facilitator", "supervisor"):
        client = staff(role, "bekasi")
        assert client.get("/programs/new").status_code == 403
        assert client.get(f"/programs/{program_id}/edit").status_code == 403
        assert client.post(f"/programs/{program_id}/deactivate").status_code == 403
    assert staff("manager", "bekasi").get("/programs/new").status_code == 200


def test_a_manager_adds_a_program_with_criteria_and_weights_audited(app, staff):
    manager = staff("manager", "payakumbuh")
    response = manager.post("/programs/new", data=_form(
        code="BEDAH_RUMAH_PYK", rows=[("housing", "in", "inadequate, Rusak berat", "Perwal 12/2024 Pasal 3"),
                                      ("decile", "le", "3", "Perwal 12/2024 Pasal 3")],
        weights=[("elderly_head", "eq", "ya", "20", "Perwal 12/2024 Pasal 5")]))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    def stored():
        program = program_by_code("BEDAH_RUMAH_PYK")
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(program.id))).all()
        return program.level, program.criteria, program.ranking, events
    level, criteria, ranking, events = read_in_region(app, "payakumbuh", stored)
    assert level == "regional"
    assert criteria[0]["value"] == ["inadequate", "severely_damaged"] and criteria[1]["value"] == 3
    assert ranking == [{"attribute": "elderly_head", "op": "eq", "value": True, "points": 20,
                        "legal_basis": "Perwal 12/2024 Pasal 5"}]
    assert "config.program.create" in events


def test_an_unknown_attribute_or_value_is_refused_at_its_row_and_field_keeping_what_was_typed(app, staff):
    manager = staff("manager", "payakumbuh")
    response = manager.post("/programs/new", data=_form(
        name="Program Salah Uji", code="SALAH_UJI",
        rows=[("decile", "le", "4", "Pasal 1"), ("", "", "", ""), ("housing", "eq", "istana", "Pasal 2"),
              ("decile", "between", "9-2", "")]))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Nilai tidak dikenal untuk Kondisi rumah: istana" in text
    assert 'id="criteria-2-value-error"' in text and 'value="istana"' in text
    assert 'id="criteria-3-value-error"' in text and 'id="criteria-3-legal_basis-error"' in text
    assert 'id="criteria-0-value-error"' not in text
    assert read_in_region(app, "payakumbuh", lambda: program_by_code("SALAH_UJI")) is None
    forged = manager.post("/programs/new", data=_form(name="Program Palsu", code="PALSU_UJI",
                                                      rows=[("income", "le", "4", "Pasal 1")]))
    assert forged.status_code == 422 and "Atribut tidak dikenal: income" in forged.get_data(as_text=True)


def test_adding_rows_keeps_what_was_typed_and_saves_nothing(app, staff):
    manager = staff("manager", "payakumbuh")
    data = _form(name="Program Baris Uji", code="BARIS_UJI", rows=[("decile", "le", "2", "Pasal 9")], add_rows="1")
    response = manager.post("/programs/new", data=data)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'name="criteria-2-attribute"' in text and 'value="Pasal 9"' in text
    assert read_in_region(app, "payakumbuh", lambda: program_by_code("BARIS_UJI")) is None


def test_national_programs_cannot_be_added_again_and_keep_their_level(app, staff):
    program_id = _seeded(app, "cianjur")
    manager = staff("manager", "cianjur")
    assert manager.post("/programs/new", data=_form(name="PKH lagi", code="PKH")).status_code == 422
    page = manager.get(f"/programs/{program_id}/edit").get_data(as_text=True)
    assert "Program pusat" in page
    form = {k: v for k, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
    form.update({"level": "national", "partner_id": "", "name": "Program Keluarga Harapan (PKH)",
                 "description": "Bantuan uang untuk keluarga miskin.", "legal_basis": "Permensos 1/2018"})
    for i, (attribute, op) in enumerate([("decile", "le"), ("member_category", "in")]):
        form[f"criteria-{i}-attribute"], form[f"criteria-{i}-op"] = attribute, op
    assert manager.post(f"/programs/{program_id}/edit", data=form).status_code == 302
    assert read_in_region(app, "cianjur", lambda: program_by_code("PKH").level) == "national"


def test_deactivate_and_reactivate_audited(app, staff):
    program_id = _own_program(app, "batubara", "NONAKTIF_UJI")
    manager = staff("manager", "batubara")
    assert manager.post(f"/programs/{program_id}/deactivate").status_code == 302
    assert 'id="program-nonaktif_uji"' not in manager.get("/programs/").get_data(as_text=True)
    assert 'id="program-nonaktif_uji"' in manager.get("/programs/?status=all").get_data(as_text=True)
    assert manager.post(f"/programs/{program_id}/deactivate").status_code == 409
    assert manager.post(f"/programs/{program_id}/reactivate").status_code == 302
    actions = read_in_region(app, "batubara", lambda: db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(program_id))).all())
    assert {"config.program.deactivate", "config.program.reactivate"} <= set(actions)


def test_the_public_page_lists_programs_without_login_and_without_personal_data(app, region_client):
    _seeded(app, "palembang")
    page = region_client("palembang").get("/program-bantuan")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Program Indonesia Pintar" in text and "Anak usia sekolah (6–21 tahun)" in text
    assert "Permendikbud 10/2020" in text
    assert not re.search(r"\b\d{16}\b", text)
    assert region_client(None).get("/program-bantuan").status_code == 404


def test_a_value_that_cannot_be_read_is_refused_at_its_field(app, staff):
    response = staff("manager", "payakumbuh").post("/programs/new", data=_form(
        name="Program Angka Uji", code="ANGKA_UJI", rows=[("", "", "", ""), ("decile", "le", "sebelas", "Pasal 1")],
        weights=[("decile", "le", "2", "banyak", "Pasal 2")]))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="criteria-1-value-error">Nilai harus bilangan bulat.' in text
    assert 'id="ranking-0-points-error"' in text
    assert read_in_region(app, "payakumbuh", lambda: program_by_code("ANGKA_UJI")) is None
