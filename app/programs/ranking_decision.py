"""Who is proposed: ticking candidates in a draft ranking, and the decision with its decree (SK).

A draft's ticks can change; the decision proposes either the top N by quota or the rows
ticked, records the decree number and date, and makes the ranking read-only. Each change is
audited.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.audit.log import record
from app.errors import Conflict, Invalid
from app.extensions import db
from app.programs.models import Ranking, RankingEntry
from app.programs.ranking_job import require_computed
from app.programs.vocabulary import RankingStatus
from app.tenancy.models import utcnow

#: How the proposed households are chosen when deciding.
BASES = {"quota": _l("Peringkat teratas sebanyak kuota"), "ticked": _l("Baris yang dicentang")}
MAX_DECREE_LENGTH = 100


def _require_draft(ranking: Ranking) -> None:
    if ranking.status != RankingStatus.DRAFT:
        raise Conflict(_("Pemeringkatan ini sudah diputuskan dan tidak dapat diubah."))
    require_computed(ranking)


def ticked_count(ranking: Ranking) -> int:
    return db.session.scalar(select(func.count()).select_from(RankingEntry).where(
        RankingEntry.ranking_id == ranking.id, RankingEntry.proposed.is_(True))) or 0


def set_ticks(ranking: Ranking, shown: Iterable[int], ticked: Iterable[int]) -> int:
    """Of the positions `shown` (one page of the table), tick those in `ticked` and untick the rest.

    Rows are named by position, so the page never carries a whole KK number. Returns how many are
    ticked in the whole ranking now. Refused once decided, or while computing (`Conflict`).
    """
    _require_draft(ranking)
    shown_set = set(shown)
    ticked_set = set(ticked) & shown_set
    if shown_set:
        base = update(RankingEntry).where(RankingEntry.ranking_id == ranking.id).execution_options(
            synchronize_session=False)
        db.session.execute(base.where(RankingEntry.position.in_(sorted(ticked_set))).values(proposed=True))
        db.session.execute(base.where(RankingEntry.position.in_(sorted(shown_set - ticked_set)))
                           .values(proposed=False))
    total = ticked_count(ranking)
    record("ranking.tick", "ranking", ranking.id, shown=len(shown_set), ticked=len(ticked_set), total=total)
    return total


def decision_errors(ranking: Ranking, *, decree_number: str, decree_date: date | None, basis: str,
                    quota: int | None, today: date | None = None) -> dict[str, list[str]]:
    """field → problems (Indonesian) with a decision; {} when it can be recorded."""
    today = today or date.today()
    errors: dict[str, list[str]] = {}
    number = (decree_number or "").strip()
    if not number:
        errors["decree_number"] = [_("Nomor SK wajib diisi.")]
    elif len(number) > MAX_DECREE_LENGTH:
        errors["decree_number"] = [_("Nomor SK paling panjang %(n)s karakter.", n=MAX_DECREE_LENGTH)]
    if decree_date is None:
        errors["decree_date"] = [_("Tanggal SK wajib diisi.")]
    elif decree_date > today:
        errors["decree_date"] = [_("Tanggal SK tidak boleh setelah hari ini.")]
    elif decree_date < ranking.created_at.date():
        errors["decree_date"] = [_("Tanggal SK tidak boleh sebelum pemeringkatan dibuat.")]
    if basis not in BASES:
        errors["basis"] = [_("Pilih cara menentukan yang diusulkan.")]
    elif basis == "quota":
        if quota is None:
            errors["quota"] = [_("Kuota wajib diisi.")]
        elif not 1 <= quota <= max(ranking.candidate_count, 1):
            errors["quota"] = [_("Kuota harus antara 1 dan %(n)s (jumlah calon).", n=max(ranking.candidate_count, 1))]
    elif ticked_count(ranking) == 0:
        errors["basis"] = [_("Belum ada baris yang dicentang.")]
    if ranking.candidate_count == 0:
        errors[""] = [_("Tidak ada calon untuk diusulkan.")]
    return errors


def decide_ranking(ranking: Ranking, *, decree_number: str, decree_date: date | None, basis: str,
                   quota: int | None, user, today: date | None = None) -> int:
    """Record who is proposed and the decree; the ranking becomes read-only. Returns how many are proposed.

    Refused with field errors (`Invalid`) or when already decided (`Conflict`). Flushes only; audited.
    """
    _require_draft(ranking)
    errors = decision_errors(ranking, decree_number=decree_number, decree_date=decree_date, basis=basis,
                             quota=quota, today=today)
    if errors:
        raise Invalid(_("Keputusan belum disimpan: periksa isian yang ditandai."), errors=errors)
    if basis == "quota":
        assert quota is not None
        # Only the rows that change (two ranges of the position index), not every candidate.
        base = update(RankingEntry).where(RankingEntry.ranking_id == ranking.id).execution_options(
            synchronize_session=False)
        db.session.execute(base.where(RankingEntry.position <= quota, RankingEntry.proposed.is_(False))
                           .values(proposed=True))
        db.session.execute(base.where(RankingEntry.position > quota, RankingEntry.proposed.is_(True))
                           .values(proposed=False))
        ranking.quota = quota
    proposed = ticked_count(ranking)
    ranking.status = RankingStatus.DECIDED
    ranking.decree_number = decree_number.strip()
    ranking.decree_date = decree_date
    ranking.decided_by = user.id
    ranking.decided_at = utcnow()
    record("ranking.decide", "ranking", ranking.id, decree_number=ranking.decree_number,
           decree_date=decree_date, basis=basis, quota=ranking.quota, proposed=proposed,
           candidates=ranking.candidate_count)
    return proposed
