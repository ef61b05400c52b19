"""Ranking candidates for a program (Cianjur BAB III "Tugas" f, Payakumbuh Pasal 7 (1) f).

A candidate is a household of the current register extract that qualifies by the program's
`criteria` and does not already receive it, optionally only in one district. Its score is
the sum of the points of the program's `ranking` weights it meets, each weight a condition
evaluated by the same engine as the criteria (`app.programs.criteria.condition_met`, what
`evaluate` runs; each weight is put in words once per ranking); the weights it met are stored
with it as the score's explanation. Ties are broken by `TIE_BREAK_RULE`, in that order, so
a ranking is a total order that anyone can check from what the page and the export show.

The computation streams households (`iter_household_facts`), keeps the candidates (not the
households) in memory to sort them, and inserts the entries in chunks. It runs as a background
job with progress (`app.programs.ranking_job`): 50,000 candidates take several seconds, and a
large regency's whole extract far longer (figures: `scripts/bench_ranking.py`).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select

from app.audit.log import record
from app.citizens.models import RegisterHousehold
from app.citizens.register import current_import_id
from app.errors import Invalid
from app.extensions import db
from app.programs.criteria import condition_met, describe, qualifies
from app.programs.facts import HouseholdFacts, iter_household_facts
from app.programs.models import Program, Ranking, RankingEntry
from app.programs.ranking_access import allowed_districts, ranking_district, region_districts
from app.programs.ranking_columns import ENTRIES
from app.programs.vocabulary import ProgramLevel
from app.tenancy.context import current_tenant_id

#: The documented order among equal scores (shown on the page and printed in each export).
TIE_BREAK_RULE = _l("Bila nilainya sama, urutan ditentukan berturut-turut oleh: desil kesejahteraan lebih "
                    "rendah lebih dahulu (desil tidak diketahui paling akhir); jumlah anggota keluarga lebih "
                    "banyak lebih dahulu; kepala keluarga lebih tua lebih dahulu (tanggal lahir tidak diketahui "
                    "paling akhir); nomor KK dari yang terkecil.")
INSERT_CHUNK = 5000
PROGRESS_EVERY = 5000
MAX_QUOTA = 1_000_000
UNKNOWN_DECILE = 99


Progress = Callable[[int], None]


@dataclass(slots=True)
class Candidate:
    """A household as ranked: its score, the points that make it up, and what the tie-break reads."""

    kk_number: str
    district_code: str
    village_code: str
    score: int
    points: list[dict] = field(default_factory=list)  # [{"weight", "label", "points", "legal_basis"}] met
    decile: int | None = None
    member_count: int = 0
    head_name: str = ""
    head_nik: str = ""
    head_birth_date: date | None = None


def tie_break_key(candidate: Candidate) -> tuple:
    """Higher score first, then `TIE_BREAK_RULE`: lower decile, more members, older head, KK ascending."""
    return (-candidate.score,
            candidate.decile if candidate.decile is not None else UNKNOWN_DECILE,
            -candidate.member_count,
            candidate.head_birth_date or date.max,
            candidate.kk_number)


def weight_labels(weights: list[dict]) -> list[str]:
    """Each weight (or criterion) in words ("Desil kesejahteraan paling tinggi 2"), said once per ranking."""
    return [describe(w) for w in weights]


def score(weights: list[dict], facts: HouseholdFacts, labels: list[str] | None = None) -> tuple[int, list[dict]]:
    """(score, explanation): the sum of the points of the weights the household meets, and those weights."""
    labels = labels if labels is not None else weight_labels(weights)
    points = [{"weight": i, "label": labels[i], "points": int(w.get("points") or 0),
               "legal_basis": w.get("legal_basis", "")} for i, w in enumerate(weights) if condition_met(w, facts)]
    return sum(p["points"] for p in points), points


def candidate_of(facts: HouseholdFacts, weights: list[dict], labels: list[str]) -> Candidate:
    total, points = score(weights, facts, labels)
    head = facts.head
    return Candidate(kk_number=facts.kk_number, district_code=facts.district_code, village_code=facts.village_code,
                     score=total, points=points, decile=facts.decile, member_count=len(facts.members),
                     head_name=head.name if head else "", head_nik=head.nik if head else "",
                     head_birth_date=head.birth_date if head else None)


def candidates(program: Program, households: Iterable[HouseholdFacts], district_code: str = "",
               weights: list[dict] | None = None) -> Iterator[Candidate]:
    """The households that qualify by the program's criteria and do not receive it, scored."""
    weights = list(program.ranking or []) if weights is None else weights
    labels = weight_labels(weights)
    criteria, code = list(program.criteria or []), program.code  # read once: the job commits as it goes
    for facts in households:
        if district_code and facts.district_code != district_code:
            continue
        if code in facts.programs or not qualifies(criteria, facts):
            continue
        yield candidate_of(facts, weights, labels)


def ranked(found: Iterable[Candidate]) -> list[Candidate]:
    """Candidates in ranking order (position 1 first)."""
    return sorted(found, key=tie_break_key)


def check_new_ranking(program: Program, membership, district_code: str, quota: int | None) -> dict[str, list[str]]:
    """field → problems (Indonesian) with a new ranking's inputs; {} when it can be computed."""
    errors: dict[str, list[str]] = {}
    if not program.active:
        errors[""] = [_("Program ini tidak aktif.")]
    elif not program.ranking:
        errors[""] = [_("Program ini belum memiliki bobot pemeringkatan; tetapkan dahulu di katalog program.")]
    elif not program.criteria:
        errors[""] = [_("Program ini belum memiliki kriteria penerima; tetapkan dahulu di katalog program.")]
    own = allowed_districts(membership)
    if district_code and district_code not in {d.code for d in region_districts()}:
        errors["district"] = [_("Pilih kecamatan dari daftar.")]
    elif own is not None and district_code not in own:
        errors["district"] = [_("Pilih salah satu kecamatan wilayah kerja Anda.")]
    if quota is not None and not 1 <= quota <= MAX_QUOTA:
        errors["quota"] = [_("Kuota harus bilangan bulat 1 sampai %(n)s.", n=MAX_QUOTA)]
    return errors


def request_ranking(program: Program, *, membership, user, district_code: str = "",
                    quota: int | None = None) -> Ranking:
    """Ask for a ranking of the program's candidates: a draft row now, the entries from a background job.

    Refused (`Invalid`, with field errors) when the program cannot be ranked or the inputs are wrong.
    The job (`app.programs.ranking_job`) is queued once the request commits. Flushes only; audited.
    """
    errors = check_new_ranking(program, membership, district_code, quota)
    if errors:
        raise Invalid(errors=errors)
    ranking = Ranking(program_id=program.id, weights=[dict(w) for w in program.ranking], quota=quota,
                      created_by=user.id, district_code=district_code)
    db.session.add(ranking)
    db.session.flush()
    record("ranking.compute", "ranking", ranking.id, program=program.code, district=district_code or None,
           quota=quota)
    from app.programs.ranking_job import queue_ranking

    queue_ranking(ranking)
    return ranking


def fill_ranking(ranking: Ranking, program: Program, progress: Progress = lambda p: None,
                 today: date | None = None) -> int:
    """Compute the ranking's entries (replacing any an interrupted run left) and store them; returns the count.

    Progress runs from 5 to 85 while households are read and scored, then to 99 while entries are written.
    """
    db.session.execute(delete(RankingEntry).where(RankingEntry.ranking_id == ranking.id)
                       .execution_options(synchronize_session=False))
    import_id = current_import_id()
    total = 0
    if import_id is not None:
        total = db.session.scalar(select(func.count()).select_from(RegisterHousehold).where(
            RegisterHousehold.import_id == import_id)) or 0
    district = ranking_district(ranking)
    quota = ranking.quota

    def households() -> Iterator[HouseholdFacts]:
        for read, facts in enumerate(iter_household_facts(today=today), 1):
            if read % PROGRESS_EVERY == 0 and total:
                progress(5 + 80 * read // total)
            yield facts

    order = ranked(candidates(program, households(), district, list(ranking.weights or [])))
    progress(85)
    store_entries(ranking, order, quota, lambda share: progress(85 + int(14 * share)))
    ranking.candidate_count = len(order)
    return len(order)


def store_entries(ranking: Ranking, order: list[Candidate], quota: int | None,
                  progress: Callable[[float], None] = lambda share: None) -> None:
    """Insert the ranked candidates in chunks (Core executemany: tenant_id is set here)."""
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("a ranking is stored inside a region")
    statement = insert(ENTRIES)
    for start in range(0, len(order), INSERT_CHUNK):
        rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "ranking_id": ranking.id, "kk_number": c.kk_number,
                 "district_code": c.district_code, "village_code": c.village_code, "score": c.score,
                 "position": position, "points": c.points, "proposed": quota is not None and position <= quota,
                 "decile": c.decile, "member_count": c.member_count, "head_name": c.head_name,
                 "head_nik": c.head_nik, "head_birth_date": c.head_birth_date}
                for position, c in enumerate(order[start:start + INSERT_CHUNK], start + 1)]
        db.session.execute(statement, rows)
        progress(min(1.0, (start + INSERT_CHUNK) / len(order)))


def rankable_programs() -> list[Program]:
    """Active programs of the catalogue that have ranking weights, regional ones first."""
    programs = db.session.scalars(select(Program).where(Program.active.is_(True))
                                  .order_by(Program.sort_order, Program.name)).all()
    return sorted((p for p in programs if p.ranking), key=lambda p: p.level != ProgramLevel.REGIONAL)
