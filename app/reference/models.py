"""Provinces, regencies/cities, districts and villages (shared by every tenant)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class Province(Model):
    __tablename__ = "provinces"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Regency(Model):
    """Kabupaten or kota, e.g. `32.75` Kota Bekasi."""

    __tablename__ = "regencies"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))

    @property
    def kind(self) -> str:
        return "kota" if self.name.upper().startswith("KOTA") else "kabupaten"

    @property
    def display_name(self) -> str:
        """`KABUPATEN CIANJUR` → `Kabupaten Cianjur`."""
        return " ".join(w.capitalize() for w in self.name.split())


class District(Model):
    """Kecamatan, e.g. `32.75.01` Bekasi Timur."""

    __tablename__ = "districts"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class Village(Model):
    """Kelurahan or desa, e.g. `32.75.01.1001` Bekasijaya."""

    __tablename__ = "villages"
    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
