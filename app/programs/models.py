"""The program catalogue, participation (kepesertaan), needs (kebutuhan) and rankings."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.jobs.vocabulary import JobStatus
from app.programs.vocabulary import ParticipationSource, ProgramLevel, RankingStatus
from app.reviews.models import Reviewed
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow


class Program(TenantOwned, Model):
    """A program in the region's catalogue: national ones from the start, and the region's own.

    `criteria` is the beneficiary criteria as data: a list of conditions
    `{"attribute", "op", "value", "legal_basis"}` over household and member attributes
    (`app.programs.attributes`), all of which must hold. `ranking` is the weighted scoring
    for a ranking of candidates: a list of `{"attribute", "op", "value", "points", "legal_basis"}`.
    `register_flag` is the program's code in the register extract's program columns, if any.
    """

    __tablename__ = "programs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        tenant_fk("partner_id", "partners"),
    )

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20), ProgramLevel.check("level"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")  # plain language, for citizens
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    register_flag: Mapped[str] = mapped_column(String(40), default="")
    member_level: Mapped[bool] = mapped_column(Boolean, default=False)  # received by a person, not the household
    criteria: Mapped[list] = mapped_column(JSON, default=list)
    ranking: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Participation(Reviewed, TenantOwned, Model):
    """A household (or one member, `nik`) receives a program: kepesertaan."""

    __tablename__ = "program_participations"
    __table_args__ = (
        tenant_fk("program_id", "programs"),
        tenant_fk("case_id", "cases"),
    )

    program_id: Mapped[uuid.UUID] = mapped_column()
    source: Mapped[str] = mapped_column(String(20), ParticipationSource.check("source"))
    since: Mapped[date | None] = mapped_column(Date)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    case_id: Mapped[uuid.UUID | None] = mapped_column()
    ended_at: Mapped[date | None] = mapped_column(Date)


class Need(Reviewed, TenantOwned, Model):
    """A household (or member) needs a program or a kind of help: kebutuhan."""

    __tablename__ = "program_needs"
    __table_args__ = (
        tenant_fk("program_id", "programs"),
        tenant_fk("case_id", "cases"),
    )

    program_id: Mapped[uuid.UUID | None] = mapped_column()
    service_area: Mapped[str] = mapped_column(String(40), default="")  # when no program is named
    reason: Mapped[str] = mapped_column(Text)
    case_id: Mapped[uuid.UUID | None] = mapped_column()


class Ranking(TenantOwned, Model):
    """A ranking of candidates for one program, and the decision on who is proposed."""

    __tablename__ = "program_rankings"
    __table_args__ = (tenant_fk("program_id", "programs"),)

    program_id: Mapped[uuid.UUID] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), RankingStatus.check("status"), default=RankingStatus.DRAFT)
    weights: Mapped[list] = mapped_column(JSON, default=list)  # the program's `ranking` when computed
    candidate_count: Mapped[int] = mapped_column(Integer, default=0)
    quota: Mapped[int | None] = mapped_column(Integer)
    decree_number: Mapped[str] = mapped_column(String(100), default="")
    decree_date: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    district_code: Mapped[str] = mapped_column(String(8), default="", server_default="")  # "" = the whole region
    #: Its computation in the background (`app.programs.ranking_job`).
    job_status: Mapped[str] = mapped_column(String(10), JobStatus.check("job_status"), default=JobStatus.DONE,
                                            server_default=JobStatus.DONE.value)
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    job_error: Mapped[str] = mapped_column(Text, default="", server_default="")


class RankingEntry(TenantOwned, Model):
    """One candidate household in a ranking, its score and the points that make it up."""

    __tablename__ = "program_ranking_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ranking_id", "kk_number"),
        Index("ix_program_ranking_entries_position", "tenant_id", "ranking_id", "position"),
        tenant_fk("ranking_id", "program_rankings"),
    )

    ranking_id: Mapped[uuid.UUID] = mapped_column()
    kk_number: Mapped[str] = mapped_column(String(16))
    district_code: Mapped[str] = mapped_column(String(8), default="")
    village_code: Mapped[str] = mapped_column(String(13), default="")
    score: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # 1 = first
    points: Mapped[list] = mapped_column(JSON, default=list)  # [{"label", "points"}] the score's explanation
    proposed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The candidate's facts as they were ranked: a decided ranking reads the same after the next import.
    head_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    head_nik: Mapped[str] = mapped_column(String(16), default="", server_default="")
    head_birth_date: Mapped[date | None] = mapped_column(Date)
    decile: Mapped[int | None] = mapped_column(Integer)
    member_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
