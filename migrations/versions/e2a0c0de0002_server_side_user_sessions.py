"""server-side user sessions replace users.session_version

Revision ID: e2a0c0de0002
Revises: e1a0c0de0001
Create Date: 2026-12-06 23:50:00

Written by hand. `user_sessions` is a platform table (not tenant-scoped: `realm` names the
region as text), so it gets no row-level security. On SQLite the column is dropped with a
plain ALTER TABLE … DROP COLUMN, never a batch copy of `users` (many tables point at it).
"""
import sqlalchemy as sa
from alembic import op

revision = 'e2a0c0de0002'
down_revision = 'e1a0c0de0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('realm', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash')),
    )
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
    op.execute('ALTER TABLE users DROP COLUMN session_version')


def downgrade():
    op.execute('ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
