"""pre-list proposals become data updates of kind new_household; prelist_proposals dropped;
per-year counters of SIKS-NG export batch numbers

Revision ID: i3a0c0de0043
Revises: i9a0c0de0049
Create Date: 2026-12-07 03:10:00

Written by hand. Each pre-list proposal is copied, with its id, into `data_updates` as a
`new_household` update of its citizen's household (data: the citizen as the only member,
relationship not known, as intake now proposes it):

* proposed → pending, on the region's chain for `new_household` as it stands now
  (`tenants.review_chains`, else the blank Permensos default: the supervisor reviews, the
  manager decides), stage 0 — an open proposal is reviewed like a new one;
* verified → approved, rejected → rejected, with chain [] and stage 0: they were decided
  before chains existed (who decided is in the audit log, `prelist.review`); `decided_at` is
  that last audit event's time (the proposal's own time if there is none), the note is kept.
  Approved ones have no batch yet, so the next SIKS-NG batch carries them.

Rows are read and written region by region (on PostgreSQL with `app.tenant_id` set, as
row-level security is forced even for the owner). `export_batch_counters` numbers the
SIKS-NG batches per region and year (`app.verval.counters`). The downgrade puts each citizen's first
new_household update back as a pre-list proposal and deletes the copies.
"""
import json
import uuid

import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'i3a0c0de0043'
down_revision = 'i9a0c0de0049'
branch_labels = None
depends_on = None

#: The blank structure's chain for new_household at this revision (app/reviews/chains.py).
DEFAULT_CHAIN = [
    {"action": "review", "roles": ["supervisor"],
     "legal_basis": "Permensos 15/2018 (supervisor: pengawasan dan verifikasi kerja fasilitator)"},
    {"action": "decide", "roles": ["manager"], "legal_basis": "Permensos 15/2018 (manajer: pengelolaan sekretariat SLRT)"},
]
STATUS_UP = {"proposed": "pending", "verified": "approved", "rejected": "rejected"}
STATUS_DOWN = {v: k for k, v in STATUS_UP.items()}
CHUNK = 1000

tenants = sa.table("tenants", sa.column("id", sa.Uuid()), sa.column("review_chains", sa.JSON()))
prelist = sa.table(
    "prelist_proposals", *(sa.column(c, sa.Uuid()) for c in ("tenant_id", "id", "citizen_id", "case_id", "created_by")),
    sa.column("status", sa.String()), sa.column("district_code", sa.String()), sa.column("village_code", sa.String()),
    sa.column("note", sa.Text()), sa.column("created_at", sa.DateTime(timezone=True)))
citizens = sa.table(
    "citizens", sa.column("tenant_id", sa.Uuid()), sa.column("id", sa.Uuid()),
    *(sa.column(c, sa.String()) for c in ("nik", "kk_number", "name", "sex", "address", "village_code")),
    sa.column("birth_date", sa.Date()))
audit = sa.table("audit_events", sa.column("tenant_id", sa.Uuid()), sa.column("action", sa.String()),
                 sa.column("object_type", sa.String()), sa.column("object_id", sa.String()),
                 sa.column("at", sa.DateTime(timezone=True)))
updates = sa.table(
    "data_updates", *(sa.column(c, sa.Uuid()) for c in ("tenant_id", "id", "citizen_id", "case_id", "created_by",
                                                          "batch_id")),
    *(sa.column(c, sa.String()) for c in ("kind", "kk_number", "nik", "district_code", "village_code", "status",
                                          "result")),
    *(sa.column(c, sa.Text()) for c in ("reason", "note", "result_reason")),
    sa.column("data", sa.JSON()), sa.column("chain", sa.JSON()), sa.column("stage", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("decided_at", sa.DateTime(timezone=True)),
    sa.column("result_at", sa.DateTime(timezone=True)))


def _regions(bind):
    """(tenant id, review chains) of every region, entering each one's context on PostgreSQL."""
    for tenant_id, chains in bind.execute(sa.select(tenants.c.id, tenants.c.review_chains)).all():
        if bind.dialect.name == "postgresql":
            bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        if isinstance(chains, str):
            chains = json.loads(chains or "{}")
        yield tenant_id, chains or {}


def _decided_at(bind, tenant_id, proposal_id, fallback):
    found = bind.execute(sa.select(sa.func.max(audit.c.at)).where(
        audit.c.tenant_id == tenant_id, audit.c.action == "prelist.review",
        audit.c.object_type == "prelist_proposal", audit.c.object_id == str(proposal_id))).scalar()
    return found or fallback


def _member(row) -> dict:
    return {"nik": row.nik, "name": row.name, "relation_to_head": "", "sex": row.sex,
            "birth_date": row.birth_date.isoformat() if row.birth_date else "", "education": "", "occupation": "",
            "disability": "", "pregnant": False}


def upgrade():
    bind = op.get_bind()
    for tenant_id, chains in _regions(bind):
        chain = chains.get("new_household") or DEFAULT_CHAIN
        rows = bind.execute(
            sa.select(prelist, citizens.c.nik, citizens.c.kk_number, citizens.c.name, citizens.c.sex,
                      citizens.c.address, citizens.c.birth_date)
            .join(citizens, sa.and_(citizens.c.tenant_id == prelist.c.tenant_id,
                                    citizens.c.id == prelist.c.citizen_id))
            .where(prelist.c.tenant_id == tenant_id).order_by(prelist.c.created_at)).all()
        batch = []
        for row in rows:
            status = STATUS_UP.get(row.status, "pending")
            pending = status == "pending"
            batch.append({
                "tenant_id": tenant_id, "id": row.id, "kind": "new_household", "kk_number": row.kk_number,
                "nik": "", "district_code": row.district_code, "village_code": row.village_code,
                "data": {"village_code": row.village_code, "address": row.address, "members": [_member(row)]},
                "reason": "", "case_id": row.case_id, "citizen_id": row.citizen_id, "batch_id": None,
                "result": "", "result_reason": "", "result_at": None,
                "chain": chain if pending else [], "stage": 0, "note": row.note or "", "status": status,
                "created_at": row.created_at, "created_by": row.created_by,
                "decided_at": None if pending else _decided_at(bind, tenant_id, row.id, row.created_at)})
            if len(batch) >= CHUNK:
                bind.execute(updates.insert(), batch)
                batch = []
        if batch:
            bind.execute(updates.insert(), batch)
    disable_tenant_rls(op, "prelist_proposals")
    op.drop_table("prelist_proposals")
    op.create_table(
        'export_batch_counters',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_export_batch_counters_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name='pk_export_batch_counters'),
        sa.UniqueConstraint('tenant_id', 'year', name='uq_export_batch_counters_tenant_id_year'),
    )
    enable_tenant_rls(op, 'export_batch_counters')


def downgrade():
    disable_tenant_rls(op, 'export_batch_counters')
    op.drop_table('export_batch_counters')
    op.create_table('prelist_proposals',
    sa.Column('citizen_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('district_code', sa.String(length=8), nullable=False),
    sa.Column('village_code', sa.String(length=13), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_prelist_proposals_created_by_users')),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'],
                            name=op.f('fk_prelist_proposals_district_code_districts')),
    sa.ForeignKeyConstraint(['tenant_id', 'case_id'], ['cases.tenant_id', 'cases.id'],
                            name=op.f('fk_prelist_proposals_tenant_id_case_id_cases')),
    sa.ForeignKeyConstraint(['tenant_id', 'citizen_id'], ['citizens.tenant_id', 'citizens.id'],
                            name=op.f('fk_prelist_proposals_tenant_id_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_prelist_proposals_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['village_code'], ['villages.code'], name=op.f('fk_prelist_proposals_village_code_villages')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_prelist_proposals')),
    sa.UniqueConstraint('tenant_id', 'citizen_id', name=op.f('uq_prelist_proposals_tenant_id_citizen_id')),
    sa.CheckConstraint("status IN ('proposed', 'verified', 'rejected')", name='ck_prelist_proposals_status'),
    )
    enable_tenant_rls(op, "prelist_proposals")
    bind = op.get_bind()
    for tenant_id, _chains in _regions(bind):
        rows = bind.execute(sa.select(updates).where(
            updates.c.tenant_id == tenant_id, updates.c.kind == "new_household", updates.c.citizen_id.is_not(None))
            .order_by(updates.c.created_at)).all()
        seen, copied = set(), []
        for row in rows:
            if row.citizen_id in seen:
                continue
            seen.add(row.citizen_id)
            copied.append(row.id)
            bind.execute(prelist.insert().values(
                tenant_id=tenant_id, id=row.id if isinstance(row.id, uuid.UUID) else uuid.UUID(str(row.id)),
                citizen_id=row.citizen_id, case_id=row.case_id, status=STATUS_DOWN.get(row.status, "proposed"),
                district_code=row.district_code, village_code=row.village_code, note=row.note or "",
                created_at=row.created_at, created_by=row.created_by))
        for start in range(0, len(copied), CHUNK):
            bind.execute(updates.delete().where(updates.c.tenant_id == tenant_id,
                                                updates.c.id.in_(copied[start:start + CHUNK])))
