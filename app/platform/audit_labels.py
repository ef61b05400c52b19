"""Audit actions in words: the Indonesian label of every action code the application records.

The console's action filter is a list of these labels; a code recorded somewhere in the code
without a label here fails `tests/unit/test_audit_labels.py`. Rows with a code unknown here
(older data) are shown with the raw code.
"""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    # Households, programs and verval (issue 11)
    "config.reviews.update": _l("Rantai penelaahan diubah"),
    "config.permissions.update": _l("Hak akses diubah"),
    "review.submit": _l("Usulan dikirim ke rantai penelaahan"),
    "register.confirm": _l("Impor data terpadu dikonfirmasi"),
    "register.discard": _l("Impor data terpadu dibatalkan"),
    "ranking.compute": _l("Pemeringkatan calon diminta"),
    "ranking.computed": _l("Pemeringkatan calon selesai dihitung"),
    "ranking.retry": _l("Penghitungan peringkat diulang"),
    "ranking.tick": _l("Centang calon diubah"),
    "ranking.decide": _l("Keputusan peringkat (SK) dicatat"),
    "ranking.export": _l("Peringkat calon diekspor"),
    "household.view": _l("Data rumah tangga dilihat"),
    "household.search": _l("Rumah tangga dicari"),
    "participation.record": _l("Kepesertaan program dicatat"),
    "participation.end": _l("Kepesertaan program diakhiri"),
    "need.record": _l("Kebutuhan program dicatat"),
    "config.program.seed": _l("Katalog program nasional dimuat"),
    "config.program.create": _l("Program ditambahkan ke katalog"),
    "config.program.update": _l("Program di katalog diubah"),
    "config.program.deactivate": _l("Program di katalog dinonaktifkan"),
    "config.program.reactivate": _l("Program di katalog diaktifkan kembali"),
    "program.gaps.view": _l("Celah program rumah tangga dilihat"),
    "program.gap.refer": _l("Celah program dirujuk"),
    "review.decide": _l("Keputusan penelaahan"),
    "verval.propose": _l("Usulan perubahan data dibuat"),
    "verval.batch_create": _l("Batch SIKS-NG dibuat"),
    "verval.batch_sent": _l("Batch SIKS-NG ditandai terkirim"),
    "verval.batch_export": _l("Batch SIKS-NG diunduh"),
    "verval.batch_answer": _l("Hasil SIKS-NG diimpor"),
    # Accounts and access
    "auth.login": _l("Masuk (berhasil)"),
    "auth.login_failed": _l("Gagal masuk"),
    "auth.logout": _l("Keluar"),
    "account.password_change": _l("Kata sandi diubah"),
    "account.password_reset": _l("Kata sandi diatur ulang lewat email"),
    "api.token_created": _l("Token API dibuat"),
    "api.token_revoked": _l("Token API dicabut"),
    "api.use": _l("API dipakai"),
    "access.refused": _l("Akses ditolak (403)"),
    "config.staff.invitation_accept": _l("Undangan staf diterima"),
    "platform_user.invitation_accept": _l("Undangan pengguna platform diterima"),
    # Cases, citizens, register
    "case.open": _l("Pengaduan dicatat"),
    "case.add_complaint": _l("Pengaduan tambahan dicatat pada kasus terbuka"),
    "case.step": _l("Langkah kasus dilakukan"),
    "case.letter_download": _l("Surat rujukan diunduh"),
    "referral.partner_answer": _l("Jawaban lembaga mitra dicatat di portal mitra"),
    "referral.partner_letter_download": _l("Surat rujukan diunduh oleh lembaga mitra"),
    "case.correct": _l("Data kasus dikoreksi"),
    "case.withdraw": _l("Kasus ditarik"),
    "case.merge": _l("Kasus duplikat digabung"),
    "case.reassign": _l("Kasus dialihkan ke petugas lain"),
    "case.priority": _l("Prioritas kasus diubah"),
    "case.follow_up": _l("Jadwal tindak lanjut kasus diubah"),
    "case.export": _l("Daftar kasus diekspor ke Excel"),
    "attachment.add": _l("Lampiran ditambahkan"),
    "attachment.delete": _l("Lampiran dihapus"),
    "attachment.download": _l("Lampiran diunduh"),
    "citizen.create": _l("Data warga ditambahkan"),
    "citizen.update": _l("Data warga diubah"),
    "citizen.reveal_nik": _l("NIK lengkap ditampilkan"),
    "citizen.lookup": _l("NIK dicek saat pencatatan"),
    "prelist.propose": _l("Usulan daftar awal dibuat"),
    "prelist.review": _l("Usulan daftar awal ditinjau"),
    "register.import": _l("Data terpadu diimpor"),
    "register.search": _l("Data terpadu dicari"),
    "report.request": _l("Laporan diminta"),
    "report.download": _l("Laporan diunduh"),
    "report.retry": _l("Laporan dibuat ulang"),
    "report.scheduled": _l("Laporan terjadwal disusun (otomatis)"),
    # Monitoring and evaluation (issue 15)
    "monitoring.plan.create": _l("Rencana kegiatan dan anggaran dibuat"),
    "monitoring.activity.add": _l("Kegiatan ditambahkan ke rencana"),
    "monitoring.budget.add": _l("Mata anggaran ditambahkan ke rencana"),
    "monitoring.activity.realise": _l("Realisasi kegiatan dicatat"),
    "monitoring.budget.spend": _l("Realisasi anggaran dicatat"),
    "monitoring.activity.edit": _l("Kegiatan rencana diubah"),
    "monitoring.activity.remove": _l("Kegiatan dihapus dari rencana"),
    "monitoring.budget.edit": _l("Mata anggaran diubah"),
    "monitoring.budget.remove": _l("Mata anggaran dihapus dari rencana"),
    "monitoring.evaluation.note": _l("Catatan evaluasi akhir tahun ditambahkan"),
    "monitoring.evaluation.download": _l("Evaluasi akhir tahun diunduh (PDF)"),
    # A region's configuration
    "config.export": _l("Konfigurasi diekspor"),
    "config.import.apply": _l("Konfigurasi diimpor"),
    "config.case.reassign": _l("Kasus dialihkan ke petugas lain"),
    "config.service_area.create": _l("Bidang layanan daerah ditambahkan"),
    "config.service_area.update": _l("Bidang layanan daerah diubah"),
    "config.service_area.retire": _l("Bidang layanan daerah dinonaktifkan"),
    "config.service_area.delete": _l("Bidang layanan daerah dihapus"),
    "config.partner.create": _l("Mitra ditambahkan"),
    "config.partner.update": _l("Mitra diubah"),
    "config.partner.retire": _l("Mitra dinonaktifkan"),
    "config.partner.reactivate": _l("Mitra diaktifkan kembali"),
    "config.partner.delete": _l("Mitra dihapus"),
    "config.partner.invite_officer": _l("Petugas lembaga mitra diundang"),
    "config.position.create": _l("Jabatan ditambahkan"),
    "config.position.update": _l("Jabatan diubah"),
    "config.position.retire": _l("Jabatan ditutup"),
    "config.sop.draft_start": _l("Draf SOP dimulai"),
    "config.sop.draft_edit": _l("Draf SOP diubah"),
    "config.sop.draft_discard": _l("Draf SOP dibuang"),
    "config.sop.publish": _l("SOP diterbitkan"),
    "config.staff.invite": _l("Staf diundang"),
    "config.staff.invitation_revoke": _l("Undangan staf dibatalkan"),
    "config.staff.move": _l("Staf dipindahkan"),
    "config.staff.deactivate": _l("Staf dinonaktifkan"),
    "config.staff.reactivate": _l("Staf diaktifkan kembali"),
    "config.terms.update": _l("Istilah diubah"),
    "config.letterhead.update": _l("Kop surat rujukan diubah"),
    "config.report_signer.update": _l("Penanda tangan laporan diubah"),
    "config.report_schedule.update": _l("Jadwal laporan otomatis diubah"),
    "config.ticket.prefix": _l("Awalan nomor tiket diubah"),
    "config.letterhead.logo": _l("Logo kop surat diunggah"),
    "config.staff.nip": _l("NIP staf diubah"),
    "config.unit.create": _l("Unit ditambahkan"),
    "config.unit.update": _l("Unit diubah"),
    "config.unit.rename": _l("Unit diganti nama"),
    "config.unit.move": _l("Unit dipindahkan"),
    "config.unit.retire": _l("Unit ditutup"),
    # The national console
    "region.onboard": _l("Daerah didaftarkan"),
    "region.activate": _l("Daerah diaktifkan"),
    "region.suspend": _l("Daerah ditangguhkan"),
    "region.reactivate": _l("Daerah diaktifkan kembali"),
    "region.rename": _l("Subdomain daerah diganti"),
    "region.alias_remove": _l("Alamat lama daerah tidak dialihkan lagi"),
    "region_read.chart": _l("Struktur organisasi daerah dilihat dari konsol"),
    "region_read.sop": _l("SOP daerah dilihat dari konsol"),
    "region_read.staff": _l("Staf daerah dilihat dari konsol"),
    "region_read.figures": _l("Angka daerah dilihat dari konsol"),
    "compare.export": _l("Perbandingan daerah diekspor"),
    "region_manager.invite": _l("Manajer daerah diundang dari konsol"),
    "region_manager.resend": _l("Undangan manajer daerah dikirim ulang"),
    "region_manager.revoke": _l("Undangan manajer daerah dibatalkan"),
    "region_manager.replace": _l("Undangan manajer daerah diganti"),
    "platform_user.invite": _l("Pengguna platform diundang"),
    "platform_user.deactivate": _l("Pengguna platform dinonaktifkan"),
    "platform_user.reactivate": _l("Pengguna platform diaktifkan kembali"),
    "platform.view": _l("Halaman konsol dibuka"),
    "auditor.view": _l("Auditor membuka halaman"),
    "auditor.download": _l("Auditor mengunduh berkas"),
}


def action_label(code: str) -> str:
    """The action in words, or the code itself for an action this build has no label for."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {}


def action_choices() -> tuple[tuple[str, str], ...]:
    """(code, label) for the console's action filter, in label order; made once per language (the labels
    and their translations are fixed while the process runs: making them cost ~1.5 ms a page)."""
    locale = str(get_locale())
    if locale not in _CHOICES:
        _CHOICES[locale] = tuple(sorted(((code, str(label)) for code, label in ACTION_LABELS.items()),
                                        key=lambda pair: pair[1]))
    return _CHOICES[locale]
