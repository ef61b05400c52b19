"""Creating notices (`notify`), reading them (the bell, the list), marking them read, and the
member's choice of which kinds also come by email (queued through the outbox)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.extensions import db, upsert_insert
from app.notices.models import Notice, NoticePreference
from app.notices.vocabulary import NoticeKind
from app.pagination import page_of
from app.tenancy.context import current_tenant_id
from app.tenancy.models import utcnow


def notify(users: Iterable[User | uuid.UUID], kind: NoticeKind, case=None, *, stage: str = "",
           **params) -> list[uuid.UUID]:
    """A notice of `kind` about `case` for each of `users` (accounts or their ids, in the current region),
    once per (user, kind, case, stage); those who chose email for `kind` also get an email. Returns the ids
    of those who got a new notice.

    One INSERT for all recipients that skips those who already have this notice (the unique `dedupe`
    key decides, so two steps at once cannot make it twice), and one read of who wants it by email,
    only when someone got one."""
    dedupe = f"{kind.value}:{case.id if case is not None else params.get('key', '')}:{stage}"[:200]
    if case is not None:
        params.setdefault("ticket", case.ticket)
    recipients = {u if isinstance(u, uuid.UUID) else u.id: u for u in users if u is not None}
    if not recipients:
        return []
    tenant_id, now = current_tenant_id(), utcnow()
    rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "recipient_id": user_id, "kind": kind.value,
             "case_id": case.id if case is not None else None, "params": params, "dedupe": dedupe, "created_at": now}
            for user_id in recipients]
    made = list(db.session.scalars(_insert_new(db.engine.dialect.name).values(rows)))
    if not made:
        return []
    for user_id in db.session.scalars(select(NoticePreference.user_id).where(
            NoticePreference.user_id.in_(made), NoticePreference.kind == kind.value, NoticePreference.email.is_(True))):
        user = recipients[user_id]
        account = user if isinstance(user, User) else db.session.get(User, user_id)
        if account is not None:
            _email(account, kind, params)
    return made


def _insert_new(dialect: str):
    """INSERT INTO notices … ON CONFLICT (tenant_id, recipient_id, dedupe) DO NOTHING RETURNING recipient_id."""
    insert = upsert_insert(dialect)
    return (insert(Notice).on_conflict_do_nothing(index_elements=["tenant_id", "recipient_id", "dedupe"])
            .returning(Notice.recipient_id))


def message(notice: Notice) -> str:
    """The notice's text, in the reader's language."""
    return _text(notice.kind, notice.params or {})


def _text(kind: str, p: dict) -> str:
    texts = {
        NoticeKind.CASE_WAITING: lambda: _("Kasus %(t)s menunggu Anda pada tahap %(s)s.", t=p.get("ticket", ""),
                                           s=p.get("stage_label", "")),
        NoticeKind.REFERRAL_APPROVED: lambda: _("Usulan rujukan kasus %(t)s ke %(p)s disetujui.",
                                                t=p.get("ticket", ""), p=p.get("partner", "")),
        NoticeKind.REFERRAL_RETURNED: lambda: _("Usulan rujukan kasus %(t)s ke %(p)s dikembalikan.",
                                                t=p.get("ticket", ""), p=p.get("partner", "")),
        NoticeKind.SLA_PASSED: lambda: _("Kasus %(t)s melewati batas waktu layanan pada tahap %(s)s.",
                                         t=p.get("ticket", ""), s=p.get("stage_label", "")),
        NoticeKind.INVITATION_ACCEPTED: lambda: _("%(n)s menerima undangan Anda.", n=p.get("name", "")),
    }
    return texts[NoticeKind(kind)]()


def _email(user: User, kind: NoticeKind, params: dict) -> None:
    """The notice by email, in the member's language, through the outbox."""
    from flask_babel import force_locale

    from app.accounts.outbox import send_mail

    with force_locale(user.locale or "id"):
        subject = _("Pemberitahuan SLRT: %(k)s", k=NoticeKind.label_of(kind.value))
        body = _text(kind.value, params) + "\n\n" + _("Lihat pemberitahuan Anda di SLRT Cloud.")
    send_mail(user.email, subject, body, tenant_id=current_tenant_id(), locale=user.locale)


def unread_count(user_id: uuid.UUID) -> int:
    return db.session.scalar(select(func.count()).select_from(Notice)
                             .where(Notice.recipient_id == user_id, Notice.read_at.is_(None))) or 0


def notices_page(user_id: uuid.UUID, page: int):
    """The member's notices, newest first, a page at a time."""
    query = select(Notice).where(Notice.recipient_id == user_id).order_by(Notice.created_at.desc(), Notice.id)
    return page_of(query, page)


def mark_read(user_id: uuid.UUID, notice_id: uuid.UUID | None = None) -> int:
    """Mark one of the member's notices read (or all of them); another's notice is never touched."""
    conditions = [Notice.recipient_id == user_id, Notice.read_at.is_(None)]
    if notice_id is not None:
        conditions.append(Notice.id == notice_id)
    result = db.session.execute(update(Notice).where(*conditions).values(read_at=utcnow())
                                .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def email_choices(user_id: uuid.UUID) -> dict[str, bool]:
    """kind -> whether it also comes by email, for every kind."""
    chosen = {p.kind: p.email for p in db.session.scalars(
        select(NoticePreference).where(NoticePreference.user_id == user_id))}
    return {k.value: chosen.get(k.value, False) for k in NoticeKind}


def wants_email(user_id: uuid.UUID, kind: NoticeKind) -> bool:
    return bool(db.session.scalar(select(NoticePreference.email).where(
        NoticePreference.user_id == user_id, NoticePreference.kind == kind.value)))


def set_email_choices(user_id: uuid.UUID, kinds: Iterable[str]) -> None:
    """Email exactly the chosen kinds (unknown codes are ignored)."""
    chosen = {k for k in kinds if k in NoticeKind.labels()}
    existing = {p.kind: p for p in db.session.scalars(
        select(NoticePreference).where(NoticePreference.user_id == user_id))}
    for kind in NoticeKind:
        pref = existing.get(kind.value)
        if pref is None:
            pref = NoticePreference(user_id=user_id, kind=kind.value)
            db.session.add(pref)
        pref.email = kind.value in chosen
    db.session.flush()


def is_recipient(user_id: uuid.UUID, notice_id: uuid.UUID) -> bool:
    """Whether this notice (in the current region) is the member's."""
    found = db.session.scalar(select(Notice.id).where(Notice.id == notice_id, Notice.recipient_id == user_id))
    return found is not None
