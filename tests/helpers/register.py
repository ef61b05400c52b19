"""Register (DTKS) helpers: generated register files and uploads."""
from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from app.citizens.import_jobs import RegisterImportJob
from app.extensions import db
from app.reference.models import District, Village
from tests.helpers.regions import in_region

FIXTURES = Path(__file__).parent.parent / "fixtures"
HEADER = "nik,no_kk,nama,kode_wilayah,alamat\n"


def register_csv(n: int, *, district: str = "320301", village: str = "32.03.01.1006", year: str = "60") -> bytes:
    """`n` valid rows for Cianjur: NIKs born 01-01-<year>, four people per household."""
    lines = [HEADER]
    for i in range(n):
        lines.append(f"{district}0101{year}{i:04d},{district}88{i // 4:08d},Warga {i},{village},Jl. Uji {i}\n")
    return "".join(lines).encode()


def upload(client, content: bytes, name: str = "dtks.csv", *, run: bool = True):
    """Upload a register file; an accepted file's import job is run (inline already, or by a worker here)."""
    response = client.post("/register/import", data={"file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    if run and response.status_code == 302:
        from tests.helpers.reports import drain

        drain(client.app)
    return response


IMPORT_SLUG = "batubara"
BATUBARA = "12.19"


def batubara_csv(app, n: int, year: str) -> bytes:
    """`n` valid rows for Batu Bara (first district and village of the region)."""
    def first_codes():

        district = db.session.scalar(select(District.code).where(District.regency_code == BATUBARA)
                                     .order_by(District.code))
        return district, db.session.scalar(select(Village.code).where(Village.district_code == district)
                                           .order_by(Village.code))
    district, village = in_region(app, IMPORT_SLUG, first_codes)
    return register_csv(n, district=district.replace(".", ""), village=village, year=year)


def jobs(app) -> list[RegisterImportJob]:
    """The region's import jobs, newest first (detached, readable after the context)."""
    def load():
        found = list(db.session.scalars(select(RegisterImportJob).order_by(RegisterImportJob.created_at.desc())))
        for job in found:
            db.session.expunge(job)
        return found
    return in_region(app, IMPORT_SLUG, load)
