"""`flask tenants onboard|list`: a region from a template, all or nothing."""
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.org.models import OrgUnit
from app.tenancy.context import ALL_TENANTS
from app.tenancy.models import Tenant

TASIKMALAYA = """
format: 1
region:
  code: "32.78"
  slug: tasikmalaya
  name: Kota Tasikmalaya
  kind: kota
  service_name: SLRT Kota Tasikmalaya
  regulation: {title: Peraturan Wali Kota Tasikmalaya (uji), short: Perwal uji}
units:
  - {key: sekretariat, name: Sekretariat SLRT, kind: secretariat, legal_basis: Pasal 1}
  - {key: fo, name: Front Office, kind: front_office, parent: sekretariat, legal_basis: Pasal 2}
  - {key: bo, name: Back Office, kind: back_office, parent: sekretariat, legal_basis: Pasal 2, district: "%(district)s"}
positions:
  - {key: manajer, unit: sekretariat, title: Manajer, role: manager, legal_basis: Pasal 1}
  - {key: fo, unit: fo, title: Petugas FO, role: intake_officer, legal_basis: Pasal 2}
  - {key: bo, unit: bo, title: Petugas BO, role: case_officer, legal_basis: Pasal 2}
sop:
  channels:
    - {key: walk_in, label: Datang ke Sekretariat, entry: registered, role: intake_officer, legal_basis: Pasal 3}
  routing: {pendidikan: bo, kesehatan: bo, kependudukan: bo, sosial: bo, ekonomi_usaha: bo, pelayanan_dasar_lainnya: bo}
  states:
    - {key: registered, label: Terdaftar, legal_basis: Pasal 3}
    - {key: analysis, label: Analisis, legal_basis: Pasal 4}
    - {key: closed, label: Selesai, final: true}
  transitions:
    - {key: forward, label: Teruskan, from: registered, to: analysis, role: intake_officer, legal_basis: Pasal 3}
    - {key: handle, label: Tangani, from: analysis, to: closed, role: case_officer, kind: handle, legal_basis: Pasal 4}
"""


def _write(tmp_path: Path, text: str, name="tasikmalaya.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _counts(app):
    with app.app_context():
        tenants = db.session.scalar(select(func.count()).select_from(Tenant))
        units = db.session.scalar(
            select(func.count()).select_from(OrgUnit).execution_options(**{ALL_TENANTS: True}))
        return tenants, units


def test_template_with_mistakes_is_refused_naming_file_entry_problem(app, tmp_path):
    bad = TASIKMALAYA.replace("role: intake_officer", "role: kasir").replace(
        "parent: sekretariat, legal_basis: Pasal 2, district", "parent: nowhere, legal_basis: Pasal 2, district")
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["tenants", "onboard", _write(tmp_path, bad % {"district": "32.78.01"})])
    assert result.exit_code != 0
    assert "tasikmalaya.yaml" in result.output
    assert "positions[2] (fo)" in result.output and "kasir" in result.output
    assert "units[3] (bo)" in result.output and "nowhere" in result.output
    assert _counts(app) == before


def test_database_checks_refuse_without_half_creating(app, tmp_path):
    # Valid YAML, but the district belongs to another region: nothing may be written.
    text = TASIKMALAYA % {"district": "32.75.01"}
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["tenants", "onboard", _write(tmp_path, text)])
    assert result.exit_code != 0 and "32.75.01" in result.output
    assert _counts(app) == before


def test_unknown_region_code_is_refused(app, tmp_path):
    text = (TASIKMALAYA % {"district": "32.78.01"}).replace('"32.78"', '"99.99"')
    result = app.test_cli_runner().invoke(args=["tenants", "onboard", _write(tmp_path, text)])
    assert result.exit_code != 0 and "99.99" in result.output and "daftar resmi" in result.output


def test_existing_region_is_refused(app):
    path = str(Path(app.config["TEMPLATES_DIR"]) / "bekasi.yaml")
    result = app.test_cli_runner().invoke(args=["tenants", "onboard", path])
    assert result.exit_code != 0 and "sudah" in result.output


def test_onboard_then_list(app, tmp_path, region_client):
    text = TASIKMALAYA % {"district": "32.78.01"}
    result = app.test_cli_runner().invoke(
        args=["tenants", "onboard", _write(tmp_path, text), "--status", "onboarding"])
    assert result.exit_code == 0, result.output
    listing = app.test_cli_runner().invoke(args=["tenants", "list"]).output
    assert "tasikmalaya" in listing and "onboarding" in listing and "bekasi" in listing
    # An onboarding region is reachable at its subdomain, but not listed as live.
    assert "SLRT Kota Tasikmalaya" in region_client("tasikmalaya").get("/").get_data(as_text=True)
    assert "Kota Tasikmalaya" not in region_client(None).get("/").get_data(as_text=True)
