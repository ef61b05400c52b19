"""A post's appointing decree (Keputusan pengangkatan): in the template, on the org chart settings,
on the charts and staff pages, in export, import and the configuration history."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.org.decree import Decree
from app.org.models import OrgUnit, Position
from app.org.operations import ConfigError, create_unit
from app.org.positions import create_position, update_position
from app.tenancy.context import tenant_context
from app.tenants.export import export_region, to_yaml
from app.tenants.importer import apply_import, prepare_import
from app.tenants.template import TemplateError, parse_template
from tests.factories import member, tenant
from tests.helpers.platform import make_region

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "tenants" / "templates"


def _bekasi(decree, post: int = 0) -> str:
    """Bekasi's template with `decree` on its first post (YAML text, so dates stay as YAML writes them)."""
    data = yaml.safe_load((TEMPLATES / "bekasi.yaml").read_text(encoding="utf-8"))
    data["positions"][post]["decree"] = decree
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _problems(text: str) -> list[str]:
    with pytest.raises(TemplateError) as refused:
        parse_template(text, "bekasi.yaml")
    return refused.value.problems


# --- the template ------------------------------------------------------------------------

def test_a_template_decree_is_read(app_ctx):
    tpl = parse_template(_bekasi({"authority": "Wali Kota Bekasi", "number": "400/Kep.12-Dinsos/2020",
                                  "date": date(2020, 5, 12)}), "bekasi.yaml")
    assert tpl.positions[0].decree == Decree("Wali Kota Bekasi", "400/Kep.12-Dinsos/2020", date(2020, 5, 12))
    quoted = parse_template(_bekasi({"authority": "Lurah", "date": "2021-01-04"}), "bekasi.yaml")
    assert quoted.positions[0].decree == Decree("Lurah", "", date(2021, 1, 4))
    assert parse_template(_bekasi(None), "bekasi.yaml").positions[0].decree == Decree()


@pytest.mark.parametrize("decree, message", [
    ({"number": "12/2020"}, "decree.authority wajib diisi"),
    ({"authority": "Lurah", "date": "12-05-2020"}, "decree.date '12-05-2020' bukan tanggal (tulis TTTT-BB-HH"),
    ({"authority": "Lurah", "date": "2020-02-30"}, "decree.date '2020-02-30' bukan tanggal"),
    ({"authority": "Lurah", "tanggal": "2020-01-01"}, "kunci 'tanggal' tidak dikenal di decree"),
    ("Keputusan Wali Kota", "'decree' harus berupa pemetaan"),
    ({"authority": ["Wali Kota"]}, "decree.authority harus berupa teks"),
    ({"authority": "Lurah", "date": "3020-01-01"}, "decree.date: Tanggal keputusan tidak boleh di masa depan."),
    ({"authority": "x" * 201}, "decree.authority: Paling banyak 200 karakter."),
])
def test_a_bad_decree_is_named_at_its_post(app_ctx, decree, message):
    problems = _problems(_bekasi(decree))
    assert any(p.startswith("positions[1] (") and message in p for p in problems), problems


def test_a_date_that_is_no_date_is_a_yaml_error_at_its_line(app_ctx):
    text = _bekasi({"authority": "Lurah", "date": "DATE"}).replace("date: DATE", "date: 2020-13-45")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "2020-13-45" in row)
    problems = _problems(text)
    assert problems == [f"YAML tidak sah, baris {line}, kolom 11: tanggal tidak sah: tulis TTTT-BB-HH dengan "
                        "bulan 01\u201312, misalnya 2019-05-12"]


@pytest.mark.parametrize("slug", ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"])
def test_the_shipped_templates_decrees_parse(app_ctx, slug):
    tpl = parse_template((TEMPLATES / f"{slug}.yaml").read_text(encoding="utf-8"), f"{slug}.yaml")
    for post in tpl.positions:
        assert not post.decree or post.decree.authority, post.key


def test_palembangs_puskesos_posts_are_set_by_the_lurah(app_ctx):
    tpl = parse_template((TEMPLATES / "palembang.yaml").read_text(encoding="utf-8"), "palembang.yaml")
    coordinators = [p for p in tpl.positions if p.role == "welfare_center_coordinator"]
    assert coordinators and all(p.decree.authority == "Lurah" for p in coordinators)
    with tenant_context(tenant("palembang")):
        # The database is shared: other tests add posts with these titles or edit them through forms
        # (an empty decree field removes the decree), so the onboarded post is one of several.
        stored = db.session.scalars(select(Position).where(
            Position.role == "welfare_center_coordinator",
            Position.title.in_([p.title for p in coordinators]))).all()
    assert any(p.decree_label == "SK Lurah" for p in stored)


# --- the label ------------------------------------------------------------------------------

def test_the_compact_label(app_ctx):
    assert Decree().label() == ""
    assert Decree("Wali Kota").label() == "SK Wali Kota"
    assert Decree("Keputusan Wali Kota Bekasi", "12/2020", date(2020, 5, 2)).label() == \
        "Keputusan Wali Kota Bekasi No. 12/2020 tgl 02-05-2020"
    assert Decree("Lurah", date=date(2021, 1, 4)).label() == "SK Lurah tgl 04-01-2021"


# --- the operations and the settings form -----------------------------------------------------

def _top_unit_id(app, slug):
    with app.app_context(), tenant_context(tenant(slug)):
        top = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).first()
        unit = create_unit(name=f"Tim Uji {uuid.uuid4().hex[:6]}", kind="field", parent=top)
        db.session.commit()
        return unit.id


def test_the_operation_checks_the_decree_and_keeps_it_unless_told(app):
    _id, slug = make_region(app)
    unit_id = _top_unit_id(app, slug)
    with app.app_context(), tenant_context(tenant(slug)):
        unit = db.session.get(OrgUnit, (tenant(slug).id, unit_id))
        with pytest.raises(ConfigError) as refused:
            create_position(unit, title="Operator", role="data_officer", legal_basis="Pasal 9",
                            decree=Decree(number="7/2024", date=date.today() + timedelta(days=3)))
        assert set(refused.value.errors) == {"decree_authority", "decree_date"}
        post = create_position(unit, title="Operator", role="data_officer", legal_basis="Pasal 9",
                               decree=Decree(" Kepala Dinas Sosial ", " 7/2024 ", date(2024, 3, 1)))
        assert (post.decree_authority, post.decree_number, post.decree_date) == \
            ("Kepala Dinas Sosial", "7/2024", date(2024, 3, 1))
        update_position(post, title="Operator Data", role="data_officer", ex_officio="", legal_basis="Pasal 9")
        assert post.decree_number == "7/2024"  # no decree given: kept
        update_position(post, title="Operator Data", role="data_officer", ex_officio="", legal_basis="Pasal 9",
                        decree=Decree("Kepala Dinas Sosial", "8/2024", date(2024, 3, 1)))
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "config.position.update")
                                   .order_by(AuditEvent.at.desc())).first()
        assert event.detail == {"before": {"decree_number": "7/2024"}, "after": {"decree_number": "8/2024"}}
        update_position(post, title="Operator Data", role="data_officer", ex_officio="", legal_basis="Pasal 9",
                        decree=Decree())
        assert Decree.of(post) == Decree() and post.decree_label == ""
        db.session.rollback()


def _form(**decree) -> dict:
    return {"title": "Petugas Data Uji", "role": "data_officer", "legal_basis": "Pasal 9", "area_level": "",
            "ex_officio": "", **decree}


def test_the_post_form_checks_the_decree_at_its_fields(app, staff):
    _id, slug = make_region(app, accounts=True)
    unit_id = _top_unit_id(app, slug)
    client = staff("manager", slug)
    url = f"/settings/org/units/{unit_id}/positions/new"
    blank = client.get(url).get_data(as_text=True)
    assert "Keputusan pengangkatan" in blank and 'name="decree_authority"' in blank
    assert 'name="decree_number"' in blank and 'type="date"' in blank and 'name="decree_date"' in blank
    for decree, field, message in [
        ({"decree_number": "12/2020"}, "decree_authority", "Tulis siapa yang menetapkan keputusan ini"),
        ({"decree_authority": "Lurah", "decree_date": "2020-13-45"}, "decree_date", "Tanggal tidak sah"),
        ({"decree_authority": "Lurah", "decree_date": (date.today() + timedelta(days=2)).isoformat()},
         "decree_date", "tidak boleh di masa depan"),
        ({"decree_authority": "Lurah", "decree_number": "9" * 121}, "decree_number", "Paling banyak 120 karakter"),
    ]:
        response = client.post(url, data=_form(**decree))
        page = response.get_data(as_text=True)
        assert response.status_code == 422, decree
        error = page.split(f'id="{field}-error">')[1].split("<")[0] if f'id="{field}-error">' in page else ""
        assert message in error, (decree, error)
    with app.app_context(), tenant_context(tenant(slug)):
        assert not db.session.scalar(select(Position).where(Position.title == "Petugas Data Uji"))


def test_a_post_with_a_decree_is_shown_on_the_charts_and_staff_pages(app, staff, admin):
    tenant_id, slug = make_region(app, accounts=True)
    unit_id = _top_unit_id(app, slug)
    client = staff("manager", slug)
    response = client.post(f"/settings/org/units/{unit_id}/positions/new",
                           data=_form(decree_authority="Wali Kota", decree_number="400/12/2024",
                                      decree_date="2024-02-01"))
    assert response.status_code == 302
    label = "SK Wali Kota No. 400/12/2024 tgl 01-02-2024"
    with app.app_context(), tenant_context(tenant(slug)):
        post = db.session.scalar(select(Position).where(Position.title == "Petugas Data Uji"))
        assert post.decree_label == label
        position_id = post.id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "config.position.create",
                                                           AuditEvent.object_id == str(post.id)))
        assert event.detail["after"]["decree_date"] == "2024-02-01"
    assert label in client.get("/settings/org/").get_data(as_text=True)
    assert label in client.get("/org/").get_data(as_text=True)
    assert label in client.get(f"/org/units/{unit_id}").get_data(as_text=True)
    assert label in admin.get(f"/console/regions/{tenant_id}/chart").get_data(as_text=True)
    edit = client.get(f"/settings/org/positions/{position_id}/edit").get_data(as_text=True)
    assert 'value="400/12/2024"' in edit and 'value="2024-02-01"' in edit and 'value="Wali Kota"' in edit
    history = client.get("/settings/history?kind=position").get_data(as_text=True)
    assert "tanggal keputusan: 2024-02-01" in history and "keputusan ditetapkan oleh: Wali Kota" in history


# --- export and import ----------------------------------------------------------------------

def test_export_writes_a_decree_only_when_set_and_import_round_trips_it(app):
    _id, slug = make_region(app, accounts=True)
    with app.app_context(), tenant_context(tenant(slug)):
        region = tenant(slug)
        data = export_region(region)
        assert all("decree" not in p for p in data["positions"])
        data["positions"][0]["decree"] = {"authority": "Bupati", "number": "188/1/2024", "date": date(2024, 1, 2)}
        text = to_yaml(data)
        assert "date: 2024-01-02" in text
        plan = prepare_import(region, text, "sk.yaml")
        lines = [str(c) for c in plan.changes]
        assert any("keputusan pengangkatan" in line and "SK Bupati No. 188/1/2024 tgl 02-01-2024" in line
                   for line in lines), lines
        apply_import(region, plan, member(f"manager@{slug}.demo")[0])
        db.session.commit()
        post = db.session.scalar(select(Position).where(Position.key == data["positions"][0]["key"]))
        assert Decree.of(post) == Decree("Bupati", "188/1/2024", date(2024, 1, 2))
        again = export_region(region)
        assert again["positions"][0]["decree"] == {"authority": "Bupati", "number": "188/1/2024",
                                                   "date": date(2024, 1, 2)}
        assert prepare_import(region, to_yaml(again), "lagi.yaml").empty


def test_a_copied_structure_keeps_who_appoints_but_not_the_sources_decrees(app):
    from app.platform.starting_points import build_template
    from tests.helpers.platform import blank_data

    source_id, slug = make_region(app)
    with app.app_context(), tenant_context(tenant(slug)):
        post = db.session.scalars(select(Position).order_by(Position.sort_order)).first()
        post.decree_authority, post.decree_number, post.decree_date = "Wali Kota", "9/2024", date(2024, 1, 2)
        key = post.key
        db.session.commit()
    with app.app_context():
        copied = build_template(blank_data(start="copy", copy_from=str(source_id)))
    assert next(p for p in copied.positions if p.key == key).decree == Decree("Wali Kota")
