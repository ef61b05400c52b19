"""The board's parts b and c from programs households receive (not from referrals: those have
their own heading, "Rujukan ke program", in `app.dashboard.figures`).

b. Akses program pusat dan daerah — households receiving at least one program of each level,
   per district, and recipients per program, against every household known.
c. Komplementaritas dan irisan program — how many programs households receive, the matrix
   of programs received by the same households, the pairs and the combinations.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.dashboard.periods import number
from app.dashboard.program_access import Receipts
from app.dashboard.queries import Labels, Reader, Section, Table
from app.dashboard.sections import section_title
from app.programs.vocabulary import ProgramLevel

#: Programs in the matrix (the most received); every pair is in the pairs table.
MATRIX_PROGRAMS = 10
TOP_COMBOS = 15


def _now_note(receipts: Receipts) -> str:
    return _("Keadaan saat ini (bukan jumlah dalam periode): program yang ditandai data register (DTKS) yang "
             "berlaku, ditambah kepesertaan yang disetujui dan belum berakhir. Rumah tangga dikenal: %(n)s "
             "(%(r)s di data register, selebihnya dari pengaduan atau kepesertaan tercatat).",
             n=number(receipts.total), r=number(sum(receipts.registered.values())))


def access_section(r: Reader, L: Labels, totals: dict, receipts: Receipts) -> Section:
    """b. Households receiving programs, by level, district and program."""
    totals.update(receipts.totals())
    levels = list(ProgramLevel)
    level_rows = [[str(level.label), receipts.level_total(level), receipts.share(receipts.level_total(level))]
                  for level in levels]
    receiving = sum(receipts.receiving.values())
    level_rows.append([_("Program apa pun (minimal satu)"), receiving, receipts.share(receiving)])
    by_level = Table("access_levels", _("Rumah tangga penerima program menurut tingkat program"),
                     [_("Tingkat program"), _("Rumah tangga penerima"), _("Bagian dari rumah tangga dikenal")],
                     level_rows if receipts.total else [], formats=("text", "int", "percent"),
                     note=_("Satu rumah tangga dihitung sekali per tingkat, berapa pun program tingkat itu yang "
                            "diterimanya."))
    shown = [level for level in levels if receipts.level_total(level)]
    district_rows = []
    for place in sorted(receipts.households, key=L.district):
        known, got = receipts.households[place], receipts.receiving[place]
        district_rows.append([L.district(place), got, known - got, known, got / known if known else None,
                              *[receipts.by_level[(place, level)] for level in shown]])
    by_district = Table("access_districts", _("Cakupan program per kecamatan"),
                        [_("Kecamatan"), _("Menerima program"), _("Tidak menerima"), _("Rumah tangga dikenal"),
                         _("Bagian yang menerima"), *[str(level.label) for level in shown]], district_rows,
                        formats=("text", "int", "int", "int", "percent", *["int"] * len(shown)),
                        chart_columns=(1, 2),
                        note=_("Kolom per tingkat: rumah tangga yang menerima minimal satu program tingkat itu."))
    program_rows = [[p.name, ProgramLevel.label_of(p.level), receipts.by_program[p], receipts.from_register[p],
                     receipts.from_participation[p], receipts.share(receipts.by_program[p])]
                    for p in receipts.ranked_programs()]
    by_program = Table("access_programs", _("Rumah tangga penerima per program"),
                       [_("Program"), _("Tingkat"), _("Rumah tangga penerima"), _("Menurut data register"),
                        _("Menurut kepesertaan tercatat"), _("Bagian dari rumah tangga dikenal")], program_rows,
                       formats=("text", "text", "int", "int", "int", "percent"), chart_columns=(2,),
                       note=_("Satu rumah tangga dapat tercatat di data register dan di kepesertaan sekaligus; "
                              "ia dihitung sekali sebagai penerima."))
    return Section("access", section_title("access"), _now_note(receipts),
                   [by_level, by_district, by_program])


def overlap_section(r: Reader, L: Labels, totals: dict, receipts: Receipts) -> Section:
    """c. How many programs the same households receive, and which ones together."""
    size_labels = [_("Tidak menerima program"), _("1 program"), _("2 program"), _("3 program atau lebih")]
    sizes = Table("overlap_counts", _("Rumah tangga menurut jumlah program yang diterima"),
                  [_("Jumlah program"), _("Rumah tangga"), _("Bagian dari rumah tangga dikenal")],
                  [[label, receipts.sizes.get(i, 0), receipts.share(receipts.sizes.get(i, 0))]
                   for i, label in enumerate(size_labels)] if receipts.total else [],
                  formats=("text", "int", "percent"))
    top = receipts.ranked_programs()[:MATRIX_PROGRAMS]
    top.sort(key=lambda p: p.rank)

    def both(a, b) -> int:
        if a == b:
            return receipts.by_program[a]
        return receipts.pairs.get((a, b) if a.rank < b.rank else (b, a), 0)

    matrix = Table("overlap_matrix", _("Rumah tangga yang menerima dua program sekaligus (matriks)"),
                   [_("Program"), *[p.short for p in top]],
                   [[a.short, *[both(a, b) for b in top]] for a in top] if receipts.pairs else [],
                   chart_columns=(),
                   note=_("Sel baris A, kolom B: rumah tangga yang menerima program A dan program B. Diagonal: "
                          "seluruh penerima program itu. Paling banyak %(n)s program dengan penerima terbanyak; "
                          "semua pasangan ada di tabel berikut.", n=MATRIX_PROGRAMS))
    pair_rows = [[a.short, b.short, n] for (a, b), n in sorted(receipts.pairs.items(),
                                                             key=lambda i: (-i[1], i[0][0].rank, i[0][1].rank)) if n]
    pairs = Table("overlap_pairs", _("Pasangan program yang diterima rumah tangga yang sama"),
                  [_("Program"), _("Program lain"), _("Rumah tangga")], pair_rows,
                  formats=("text", "text", "int"), chart_columns=(2,))
    combo_rows = [[" + ".join(p.short for p in sorted(combo, key=lambda p: p.rank)), len(combo), n]
                  for combo, n in sorted(receipts.combos.items(),
                                         key=lambda i: (-i[1], sorted(p.rank for p in i[0])))[:TOP_COMBOS]]
    combos = Table("overlap_combos", _("Kombinasi program yang paling sering diterima bersama"),
                   [_("Kombinasi program"), _("Jumlah program"), _("Rumah tangga")], combo_rows,
                   formats=("text", "int", "int"), chart_columns=(2,),
                   note=_("Rumah tangga yang menerima tepat kombinasi ini (%(n)s kombinasi terbanyak).",
                          n=TOP_COMBOS))
    intro = _("%(n)s rumah tangga menerima lebih dari satu program; %(m)s di antaranya tiga program atau lebih.",
              n=number(receipts.sizes.get(2, 0) + receipts.sizes.get(3, 0)), m=number(receipts.sizes.get(3, 0)))
    programs = sorted(receipts.by_program, key=lambda p: p.rank)
    if programs:
        intro += " " + _("Kode program: %(legend)s.", legend="; ".join(f"{p.short} = {p.name}" for p in programs))
    return Section("overlap", section_title("overlap"), intro, [sizes, matrix, pairs, combos])
