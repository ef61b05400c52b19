"""An attached file's record: whose it is, what it is, where its bytes are kept."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.attachments.vocabulary import AttachmentKind
from app.extensions import Model
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow

CASE, CITIZEN = "case", "citizen"


class Attachment(TenantOwned, Model):
    """A file on a case or on a citizen (exactly one of the two), stored under a random key.

    `filename` is the uploader's name, cleaned, for display and the download name only; the
    type, size and hash are those of the stored bytes (after re-encoding an image). The
    location is kept only for a field photo whose subject agreed to it.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        tenant_fk("case_id", "cases"),
        tenant_fk("citizen_id", "citizens"),
        CheckConstraint("(case_id IS NULL) <> (citizen_id IS NULL)", name="one_owner"),
        UniqueConstraint("tenant_id", "storage_key"),
        Index("ix_attachments_case", "tenant_id", "case_id"),
        Index("ix_attachments_citizen", "tenant_id", "citizen_id"),
    )

    case_id: Mapped[uuid.UUID | None] = mapped_column()
    citizen_id: Mapped[uuid.UUID | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20), AttachmentKind.check("kind"))
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(120))
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    @property
    def owner_type(self) -> str:
        return CASE if self.case_id is not None else CITIZEN

    @property
    def kind_label(self) -> str:
        return AttachmentKind.label_of(self.kind)
