"""The area-list loader and `flask wilayah reload`, on SQLite with only the four reference tables."""
from __future__ import annotations

import gzip
import os
import uuid
from pathlib import Path
from types import SimpleNamespace

import flask_babel
import pytest
from flask import Flask
from sqlalchemy import func, select, text

from app.extensions import db
from app.reference.cli import wilayah_cli
from app.reference.loader import WilayahError, load_wilayah, wilayah_loaded
from app.reference.models import District, Province, Regency, Village
from config import _database_url

DATA = Path(__file__).resolve().parents[2] / "data" / "wilayah"
MODELS = (Province, Regency, District, Village)
FULL_COUNTS = {"provinces": 38, "regencies": 514, "districts": 7277, "villages": 83763}


def make_app(db_path: Path, wilayah_dir: Path | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}", WILAYAH_DIR=wilayah_dir)
    db.init_app(app)
    flask_babel.Babel(app)
    app.cli.add_command(wilayah_cli)
    with app.app_context():
        db.metadata.create_all(db.engine, tables=[m.__table__ for m in MODELS])
    return app


def table_counts() -> dict[str, int]:
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


# --- the real vendored data: loaded once for the whole module -------------------------
# (its load time is measured by scripts/bench_wilayah.py, not asserted here)

@pytest.fixture(scope="module")
def real(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("wilayah") / "t.db")
    with app.app_context():
        assert not wilayah_loaded()
        counts = load_wilayah(DATA)
        db.session.commit()
    return SimpleNamespace(app=app, counts=counts)


def test_real_data_counts(real):
    assert real.counts == FULL_COUNTS
    with real.app.app_context():
        assert table_counts() == FULL_COUNTS
        assert wilayah_loaded()


def test_real_data_rows(real):
    with real.app.app_context():
        assert db.session.get(Regency, "32.75").name == "KOTA BEKASI"
        assert db.session.get(Regency, "32.75").province_code == "32"
        assert db.session.get(Regency, "13.76").name == "KOTA PAYAKUMBUH"
        district = db.session.get(District, "32.75.01")
        assert (district.name, district.regency_code) == ("Bekasi Timur", "32.75")
        village = db.session.get(Village, "32.75.01.1001")
        assert (village.name, village.district_code) == ("Bekasijaya", "32.75.01")
        # an apostrophe written as a bare double quote in the source is kept as is
        assert db.session.get(Village, "35.13.15.2017").name == 'Soka"an'


def test_real_data_reload_changes_nothing(real):
    # the only second pass over the full data in this module (~0.3 s)
    with real.app.app_context():
        counts = load_wilayah(DATA)
        db.session.commit()
        assert counts == FULL_COUNTS
        assert all(c == {"inserted": 0, "updated": 0, "deleted": 0} for c in counts.changes.values())
        assert table_counts() == FULL_COUNTS


# --- small fixture directories ---------------------------------------------------------

SMALL = {
    "provinces": ["code,name", "32,JAWA BARAT", "13,SUMATERA BARAT"],
    "regencies": ["code,province_code,name", "32.75,32,KOTA BEKASI", "13.76,13,KOTA PAYAKUMBUH"],
    "districts": ["code,regency_code,name", "32.75.01,32.75,Bekasi Timur",
                  "32.75.02,32.75,Bekasi Barat", "13.76.01,13.76,Payakumbuh Barat"],
    "villages": ["code,district_code,name", "32.75.01.1001,32.75.01,Bekasijaya",
                 "32.75.01.1002,32.75.01,Duren Jaya", "32.75.02.1001,32.75.02,Bintara",
                 "13.76.01.1001,13.76.01,Balai Nan Duo"],
}
SMALL_COUNTS = {"provinces": 2, "regencies": 2, "districts": 3, "villages": 4}


def write_dir(directory: Path, gz: bool = True, **overrides: list[str]) -> Path:
    """Write the small data set (with some files replaced) as .csv.gz or plain .csv."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, lines in {**SMALL, **overrides}.items():
        for old in directory.glob(f"{name}.csv*"):
            old.unlink()
        body = ("\n".join(lines) + "\n").encode()
        if gz:
            (directory / f"{name}.csv.gz").write_bytes(gzip.compress(body, mtime=0))
        else:
            (directory / f"{name}.csv").write_bytes(body)
    return directory


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path / "t.db", wilayah_dir=tmp_path / "default")
    with app.app_context():
        yield app


@pytest.fixture
def loaded(app, tmp_path):
    """The small data set loaded and committed; returns its directory."""
    directory = write_dir(tmp_path / "small")
    assert load_wilayah(directory) == SMALL_COUNTS
    db.session.commit()
    return directory


def test_empty_database_is_not_loaded(app):
    assert not wilayah_loaded()


def test_plain_csv_is_accepted(app, tmp_path):
    directory = write_dir(tmp_path / "plain", gz=False)
    assert load_wilayah(directory) == SMALL_COUNTS
    assert db.session.get(Village, "32.75.01.1001").name == "Bekasijaya"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"villages": ["code,parent,name", *SMALL["villages"][1:]]},
         ["villages.csv.gz baris 1", "code,district_code,name"]),
        ({"villages": SMALL["villages"] + ["32.75.09.1001,32.75.09,Tidak Ada"]},
         ["villages.csv.gz baris 6", "32.75.09", "tidak ada di districts"]),
        ({"districts": SMALL["districts"] + ["32.75.01,32.75,Bekasi Timur Lagi"]},
         ["districts.csv.gz baris 5", "32.75.01 ganda", "baris 2"]),
        ({"regencies": SMALL["regencies"] + ["3275,32,KOTA SALAH"]},
         ["regencies.csv.gz baris 4", "NN.NN"]),
        ({"villages": SMALL["villages"] + ["32.75.01.1003,32.75.01"]},
         ["villages.csv.gz baris 6", "3 kolom"]),
        ({"districts": SMALL["districts"] + ["13.77.01,32.75,Salah Induk"]},
         ["districts.csv.gz baris 5", "induknya 32.75"]),
    ],
    ids=["bad-header", "unknown-parent", "duplicate-code", "bad-code-shape",
         "missing-column", "parent-prefix"],
)
def test_invalid_file_is_refused_before_writing(app, loaded, tmp_path, overrides, expected):
    # the same directory also renames a province: that must not be applied either
    provinces = ["code,name", "32,JAWA BARAT (BARU)", "13,SUMATERA BARAT"]
    directory = write_dir(tmp_path / "bad", provinces=provinces, **overrides)
    with pytest.raises(WilayahError) as caught:
        load_wilayah(directory)
    message = str(caught.value)
    for part in expected:
        assert part in message
    assert db.session.get(Province, "32").name == "JAWA BARAT"  # nothing written, not even flushed
    assert table_counts() == SMALL_COUNTS


def test_missing_file_is_named(app, tmp_path):
    directory = write_dir(tmp_path / "incomplete")
    (directory / "villages.csv.gz").unlink()
    with pytest.raises(WilayahError, match=r"villages\.csv\.gz"):
        load_wilayah(directory)
    assert table_counts() == {name: 0 for name in SMALL_COUNTS}


def test_reload_applies_renames_inserts_and_deletes(app, loaded, tmp_path):
    assert db.session.get(Regency, "32.75").name == "KOTA BEKASI"  # in the identity map now
    directory = write_dir(
        tmp_path / "next",
        provinces=["code,name", "32,JAWA BARAT", "13,SUMATRA BARAT"],
        regencies=["code,province_code,name", "32.75,32,KOTA BEKASI BARU", "13.76,13,KOTA PAYAKUMBUH"],
        # drops 32.75.02.1001, adds 32.75.02.1002
        villages=SMALL["villages"][:3] + SMALL["villages"][4:] + ["32.75.02.1002,32.75.02,Kranji"],
    )
    counts = load_wilayah(directory)
    db.session.commit()
    assert counts == SMALL_COUNTS
    assert counts.changes["provinces"] == {"inserted": 0, "updated": 1, "deleted": 0}
    assert counts.changes["regencies"] == {"inserted": 0, "updated": 1, "deleted": 0}
    assert counts.changes["villages"] == {"inserted": 1, "updated": 0, "deleted": 1}
    assert db.session.get(Province, "13").name == "SUMATRA BARAT"
    assert db.session.get(Regency, "32.75").name == "KOTA BEKASI BARU"
    assert db.session.get(Village, "32.75.02.1001") is None
    assert db.session.get(Village, "32.75.02.1002").name == "Kranji"


def test_reload_is_idempotent(app, loaded):
    counts = load_wilayah(loaded)
    assert counts == SMALL_COUNTS
    assert all(c == {"inserted": 0, "updated": 0, "deleted": 0} for c in counts.changes.values())


def test_vanished_code_still_referenced_is_refused(app, loaded, tmp_path):
    # stands in for tenants / org units / memberships: found by reflecting the database
    db.session.execute(text(
        "CREATE TABLE holders (id INTEGER PRIMARY KEY,"
        " village_code VARCHAR(13) REFERENCES villages(code))"
    ))
    db.session.execute(text("INSERT INTO holders (village_code) VALUES ('32.75.02.1001')"))
    db.session.commit()
    directory = write_dir(
        tmp_path / "next",
        provinces=["code,name", "32,JAWA BARAT (BARU)", "13,SUMATERA BARAT"],
        villages=SMALL["villages"][:3] + SMALL["villages"][4:],  # drops 32.75.02.1001
    )
    with pytest.raises(WilayahError) as caught:
        load_wilayah(directory)
    assert "32.75.02.1001" in str(caught.value)
    assert "holders.village_code" in str(caught.value)
    assert db.session.get(Province, "32").name == "JAWA BARAT"
    assert table_counts() == SMALL_COUNTS

    # once nothing points at it any more, the same directory loads
    db.session.execute(text("DELETE FROM holders"))
    counts = load_wilayah(directory)
    assert counts.changes["villages"]["deleted"] == 1


def test_cli_reload(app, tmp_path):
    write_dir(tmp_path / "default")  # WILAYAH_DIR of this app
    result = app.test_cli_runner().invoke(args=["wilayah", "reload"])
    assert result.exit_code == 0, result.output
    assert "kelurahan/desa" in result.output and "detik" in result.output
    db.session.expire_all()
    assert table_counts() == SMALL_COUNTS  # committed: visible from this session


def test_cli_reload_error_exits_non_zero(app, tmp_path):
    directory = write_dir(tmp_path / "bad", districts=SMALL["districts"] + ["32.75.01,32.75,X"])
    result = app.test_cli_runner().invoke(args=["wilayah", "reload", "--dir", str(directory)])
    assert result.exit_code == 1
    assert "Data wilayah ditolak" in result.output
    assert "districts.csv.gz baris 5" in result.output
    assert table_counts() == {name: 0 for name in SMALL_COUNTS}


@pytest.mark.postgres
def test_postgres_sync_and_reference_check(tmp_path):
    """Same sync on PostgreSQL (real FK enforcement), in a throw-away schema."""
    # the owner role (the app role may not create schemas); conftest skips without DATABASE_URL
    url = os.environ.get("MIGRATION_DATABASE_URL") or os.environ["DATABASE_URL"]
    schema = f"wilayah_test_{uuid.uuid4().hex[:8]}"
    app = Flask(__name__)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=_database_url(url),
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={schema}"}},
    )
    db.init_app(app)
    flask_babel.Babel(app)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            db.metadata.create_all(db.engine, tables=[m.__table__ for m in MODELS])
            assert load_wilayah(write_dir(tmp_path / "small")) == SMALL_COUNTS
            db.session.execute(text("CREATE TABLE holders (id SERIAL PRIMARY KEY,"
                                    " region_code VARCHAR(5) REFERENCES regencies(code))"))
            db.session.execute(text("INSERT INTO holders (region_code) VALUES ('13.76')"))
            db.session.commit()
            directory = write_dir(
                tmp_path / "next",
                regencies=["code,province_code,name", "32.75,32,KOTA BEKASI BARU"],
                districts=SMALL["districts"][:3], villages=SMALL["villages"][:4],
            )
            with pytest.raises(WilayahError, match=r"13\.76.*holders\.region_code"):
                load_wilayah(directory)
            db.session.rollback()
            db.session.execute(text("DELETE FROM holders"))
            counts = load_wilayah(directory)
            db.session.commit()
            assert counts.changes["regencies"] == {"inserted": 0, "updated": 1, "deleted": 1}
            assert db.session.get(Regency, "32.75").name == "KOTA BEKASI BARU"
        finally:
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            db.engine.dispose()
