"""Finding a village by how people write its name: `22 Ilir` for the official `Dua-puluh-dua Ilir`.

`search_key` makes one form of both: lower case, hyphens and punctuation as spaces, and every
run of Indonesian number words as its numeral (`dua puluh dua` → `22`, `tiga empat` → `3 4`).
A search matches when the term's key is part of the name's key.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import select

from app.extensions import db
from app.reference.models import District, Village

UNITS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
         "delapan": 8, "sembilan": 9}
WHOLE = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000}
SCALES = {"puluh": 10, "ratus": 100, "ribu": 1000}
MAX_RESULTS = 50


class VillageRow(NamedTuple):
    district: str
    code: str
    name: str


class _Number:
    """Reads one run of number words; `feed` says whether the word belonged to the number."""

    def __init__(self):
        self.total, self.current, self.last = 0, 0, ""  # last: "", "unit" or "scale"

    @property
    def started(self) -> bool:
        return bool(self.last)

    def value(self) -> int:
        return self.total + self.current

    def feed(self, word: str) -> bool:
        if word in UNITS or word in WHOLE:
            if self.last == "unit" or (word in WHOLE and self.started):
                return False  # `tiga empat`: two numbers side by side
            self.current += UNITS.get(word, WHOLE.get(word, 0))
            self.last = "unit" if word in UNITS else "scale"
            return True
        if word == "belas" and self.last == "unit":
            self.current += 10
            self.last = "scale"
            return True
        if word in SCALES and self.last == "unit":
            scale = SCALES[word]
            unit = self.current % 10
            if scale == 10:
                self.current += unit * 9
            else:
                self.total, self.current = (self.total + self.current) * scale if scale == 1000 else \
                    self.total + self.current * scale, 0
            self.last = "scale"
            return True
        return False


def search_key(text: str) -> str:
    """The comparable form of a village name or a search term."""
    words = re.sub(r"[^0-9a-z]+", " ", (text or "").lower()).split()
    out: list[str] = []
    number = _Number()
    for word in words:
        if number.feed(word):
            continue
        if number.started:
            out.append(str(number.value()))
            number = _Number()
            if number.feed(word):
                continue
        out.append(word)
    if number.started:
        out.append(str(number.value()))
    return " ".join(out)


def find_villages(term: str, regency_code: str, only: set[str] | None = None,
                  limit: int = MAX_RESULTS) -> list[VillageRow]:
    """The regency's villages with a word of the name starting with `term` (compared by
    `search_key`), by district then name; an empty term gives them all."""
    key = search_key(term)
    query = (select(District.name, Village.code, Village.name).join(District, Village.district_code == District.code)
             .where(District.regency_code == regency_code).order_by(District.name, Village.name))
    if only is not None:
        query = query.where(Village.code.in_(only))
    pattern = re.compile(r"(?:^| )" + re.escape(key) + (r"(?![0-9])" if key[-1:].isdigit() else ""))
    rows = [VillageRow(*row) for row in db.session.execute(query)]
    if not key:
        return rows
    return [v for v in rows if pattern.search(search_key(v.name))][:limit]
