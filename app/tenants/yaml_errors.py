"""YAML syntax errors explained in Bahasa Indonesia, with their line and column."""
from __future__ import annotations

import yaml
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

#: PyYAML's problems (English, by how they start) in words a manager reads; others get the generic one.
YAML_PROBLEMS = (
    ("mapping values are not allowed", _l("tanda titik dua (:) tidak boleh di sini: periksa indentasinya, atau beri "
                                          "tanda kutip pada nilai yang memuat \u201c: \u201d")),
    ("could not find expected ':'", _l("tanda titik dua (:) setelah kunci tidak ditemukan")),
    ("found character '\\t'", _l("karakter tab tidak boleh dipakai; gunakan spasi untuk indentasi")),
    ("expected <block end>", _l("indentasi baris ini tidak sejajar dengan baris di atasnya")),
    ("did not find expected key", _l("indentasi baris ini tidak sejajar dengan kunci di atasnya")),
    ("did not find expected '-' indicator", _l("butir daftar harus diawali \u201c- \u201d dengan indentasi yang sama")),
    ("found unexpected end of stream", _l("tanda kutip tidak ditutup sampai akhir berkas")),
    ("found undefined alias", _l("alias (*nama) dipakai sebelum jangkarnya (&nama) ditulis")),
    ("expected ',' or ']'", _l("daftar dalam kurung siku [ ] tidak ditutup dengan benar")),
    ("expected ',' or '}'", _l("pemetaan dalam kurung kurawal { } tidak ditutup dengan benar")),
    ("found unknown escape character", _l("garis miring terbalik (\\) di dalam tanda kutip ganda tidak dikenal; "
                                          "pakai tanda kutip tunggal")),
    ("found duplicate anchor", _l("jangkar (&nama) yang sama ditulis dua kali")),
    ("found unhashable key", _l("kunci tidak boleh berupa daftar atau pemetaan")),
    ("invalid date", _l("tanggal tidak sah: tulis TTTT-BB-HH dengan bulan 01\u201312, misalnya 2019-05-12")),
)


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML syntax error in Indonesian, with its line and column ("baris 3, kolom 2: …").

    For a quote never closed, the line is where the quote opened.
    """
    problem = str(getattr(exc, "problem", "") or "")
    message = next((str(text) for prefix, text in YAML_PROBLEMS if problem.startswith(prefix)),
                   _("susunan YAML tidak dapat dibaca"))
    unclosed = problem.startswith("found unexpected end of stream")
    mark = (getattr(exc, "context_mark", None) if unclosed else None) or getattr(exc, "problem_mark", None)
    if mark is None:
        return message
    return _("baris %(line)s, kolom %(col)s: %(msg)s", line=mark.line + 1, col=mark.column + 1, msg=message)
