"""Which SOP version applies: the published one for new cases, the pinned one for old cases.

`current_version` and `versions_in_use` are asked several times per request (the inbox, the
counts, the navigation, the notices of a step): each is read once per transaction (`app.kept`),
and afresh after any flush that writes a SOP version.
"""
from __future__ import annotations

from sqlalchemy import func, select

from app.casework.models import SopVersion
from app.casework.vocabulary import SopStatus
from app.extensions import db
from app.kept import already_kept, kept
from app.tenancy.models import utcnow


def _current_version() -> SopVersion | None:
    in_use = already_kept("sop.in_use", watch=(SopVersion,))
    if in_use is not None:  # already read in this transaction: the published one is among them
        return max((v for v in in_use if v.status == SopStatus.PUBLISHED), key=lambda v: v.number, default=None)
    return db.session.scalar(
        select(SopVersion).where(SopVersion.status == SopStatus.PUBLISHED).order_by(SopVersion.number.desc())
    )


def current_version() -> SopVersion:
    """The region's published SOP version (new cases start under it)."""
    version = kept("sop.current", _current_version, watch=(SopVersion,))
    if version is None:
        raise LookupError("region has no published SOP")
    return version


def publish_version(definition: dict, regulation: str, user_id=None, note: str = "") -> SopVersion:
    """Publish `definition` as the next version; older published versions are superseded."""
    number = (db.session.scalar(select(func.max(SopVersion.number))) or 0) + 1
    for old in db.session.scalars(select(SopVersion).where(SopVersion.status == SopStatus.PUBLISHED)):
        old.status = SopStatus.SUPERSEDED
    version = SopVersion(number=number, status=SopStatus.PUBLISHED, definition=definition,
                         regulation=regulation, note=note, published_at=utcnow(), published_by=user_id)
    db.session.add(version)
    db.session.flush()
    return version


def versions_in_use() -> list[SopVersion]:
    return list(kept("sop.in_use", lambda: list(db.session.scalars(
        select(SopVersion).where(SopVersion.status != SopStatus.DRAFT))), watch=(SopVersion,)))
