"""`flask wilayah ...`: maintain the shared list of administrative areas.

Registered by the app factory with `app.cli.add_command(wilayah_cli)`.
"""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.reference.loader import WilayahError, load_wilayah

wilayah_cli = AppGroup(
    "wilayah",
    help="Kelola data wilayah administrasi Indonesia (provinsi, kabupaten/kota, "
    "kecamatan, kelurahan/desa) yang dipakai bersama semua daerah.",
)

LABELS = {
    "provinces": "provinsi",
    "regencies": "kabupaten/kota",
    "districts": "kecamatan",
    "villages": "kelurahan/desa",
}


@wilayah_cli.command("reload")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder berisi provinces/regencies/districts/villages.csv.gz "
    "(bawaan: pengaturan WILAYAH_DIR).",
)
def reload_command(directory: Path | None) -> None:
    """Muat ulang data wilayah dari berkas ke basis data.

    Kode baru ditambahkan, nama yang berubah diperbarui, dan kode yang sudah tidak ada
    dihapus, kecuali masih dipakai data lain (maka tidak ada yang diubah). Aman
    dijalankan berulang kali.
    """
    if directory is None:
        configured = current_app.config.get("WILAYAH_DIR")
        if not configured:
            raise click.ClickException(
                "Folder data wilayah belum ditentukan: pakai --dir atau atur WILAYAH_DIR."
            )
        directory = Path(configured)
    click.echo(f"Memuat data wilayah dari {directory} ...")
    started = time.perf_counter()
    try:
        counts = load_wilayah(directory)
        db.session.commit()
    except WilayahError as exc:
        db.session.rollback()
        raise click.ClickException(f"Data wilayah ditolak, basis data tidak diubah:\n{exc}") from exc
    except Exception:
        db.session.rollback()
        raise
    elapsed = time.perf_counter() - started

    changes = getattr(counts, "changes", {})
    for table, total in counts.items():
        line = f"  {LABELS.get(table, table):<15} {_num(total):>7}"
        diff = changes.get(table)
        if diff:
            line += (
                f"  (baru {_num(diff['inserted'])}, diubah {_num(diff['updated'])},"
                f" dihapus {_num(diff['deleted'])})"
            )
        click.echo(line)
    click.echo(f"Selesai dalam {elapsed:.2f} detik.".replace(".", ",", 1))


def _num(value: int) -> str:
    """83763 -> '83.763' (Indonesian digit grouping)."""
    return f"{value:,}".replace(",", ".")
