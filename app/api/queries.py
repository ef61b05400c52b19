"""What the API answers with: cases, referrals and aggregated figures — never names or NIKs."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.casework.models import Case, Partner, Referral
from app.dashboard.figures import figures
from app.dashboard.periods import Period, current_month
from app.errors import Invalid
from app.extensions import db
from app.pagination import page_of
from app.tenancy.context import tenant_in_context
from app.tenancy.models import utcnow

PER_PAGE = 50
CASE_STATUSES = ("open", "closed", "all")


def _iso(value: datetime | None) -> str | None:
    """RFC 3339 in UTC (SQLite gives the stored UTC instants back without their offset)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


iso = _iso


def case_summary(case: Case, now: datetime) -> dict:
    return {"ticket": case.ticket, "stage": case.state, "service_area": case.service_area,
            "district_code": case.district_code, "received_at": _iso(case.created_at),
            "due_at": _iso(case.due_at), "closed_at": _iso(case.closed_at), "closure": case.closure or None,
            "overdue": bool(case.is_overdue(now))}


def page_number(text: str | None) -> int:
    if text is None or text == "":
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 100000:
        raise Invalid(errors={"page": [str(_l("Nomor halaman tidak sah."))]})
    return int(text)


def _envelope(result, items: list) -> dict:
    return {"items": items, "page": result.page, "pages": result.pages, "total": result.total}


def cases_page(status: str | None, page: int) -> dict:
    status = status or "all"
    if status not in CASE_STATUSES:
        raise Invalid(errors={"status": [str(_l("Status harus open, closed atau all."))]})
    query = select(Case).order_by(Case.created_at.desc(), Case.id)
    if status == "open":
        query = query.where(Case.closed_at.is_(None))
    elif status == "closed":
        query = query.where(Case.closed_at.is_not(None))
    result, now = page_of(query, page, PER_PAGE), utcnow()
    return _envelope(result, [case_summary(c, now) for c in result.items])


def case_by_ticket(ticket: str) -> Case:
    return db.one_or_404(select(Case).where(Case.ticket == ticket))


def case_status(case: Case) -> dict:
    return {"ticket": case.ticket, "stage": case.state, "open": case.closed_at is None,
            "overdue": bool(case.is_overdue(utcnow())), "stage_entered_at": _iso(case.state_entered_at),
            "due_at": _iso(case.due_at), "closed_at": _iso(case.closed_at)}


def referrals_page(page: int) -> dict:
    query = (select(Referral, Case.ticket, Partner.name, Partner.level)
             .join(Case, (Case.tenant_id == Referral.tenant_id) & (Case.id == Referral.case_id))
             .join(Partner, (Partner.tenant_id == Referral.tenant_id) & (Partner.id == Referral.partner_id))
             .order_by(Referral.requested_at.desc(), Referral.id))
    result = page_of(query, page, PER_PAGE, rows=True)
    items = [{"id": str(r.id), "ticket": ticket, "partner": name, "level": level, "status": r.status,
              "outcome": r.outcome or None, "requested_at": _iso(r.requested_at), "sent_at": _iso(r.sent_at),
              "answered_at": _iso(r.answered_at), "completed_at": _iso(r.completed_at)}
             for r, ticket, name, level in result.items]
    return _envelope(result, items)


def figures_between(start: str | None, end: str | None) -> dict:
    """The dashboard's aggregates for a period (default: this month)."""
    period, errors = Period.from_args(start or "", end or "", current_month())
    if errors:
        raise Invalid(errors={k: [v] for k, v in errors.items()})
    found = figures(tenant_in_context(), period)
    tables = [{"key": t.key, "title": str(t.title), "columns": [str(c) for c in t.columns],
               "rows": [[_plain(v) for v in row] for row in t.rows]}
              for s in found.sections for t in s.tables]
    return {"from": period.start.isoformat(), "to": period.end.isoformat(),
            "totals": {key: _plain(value) for key, _label, value, _fmt in found.headline}, "tables": tables}


def _plain(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def programs_list(level: str | None) -> dict:
    """The region's program catalogue in use (optionally one level), criteria as data and in words."""
    from app.programs.catalogue import active_programs, program_names
    from app.programs.criteria import describe
    from app.programs.vocabulary import ProgramLevel

    if level and level not in ProgramLevel.labels():
        raise Invalid(errors={"level": [str(_l("Tingkat program tidak dikenal."))]})
    partners = dict(db.session.execute(select(Partner.id, Partner.name)).all())
    names = program_names()
    items = [{"code": p.code, "name": p.name, "level": p.level,
              "partner": partners.get(p.partner_id) if p.partner_id else None,
              "description": p.description, "legal_basis": p.legal_basis, "register_flag": p.register_flag or None,
              "member_level": bool(p.member_level),
              "criteria": [{**c, "text": describe(c, names)} for c in p.criteria or []]}
             for p in active_programs(level or None)]
    return {"items": items}
