"""rankings: the district a ranking is limited to, its computation in the background (status, progress,
attempts, error), each candidate's facts as ranked (head's name and NIK, decile, members, head's birth
date: what the tie-break rule reads), and an index for the page order

Revision ID: i6a0c0de0046
Revises: i3a0c0de0043
Create Date: 2026-12-07 03:30:00

Written by hand. A decided ranking must read the same after the next register import, so the
facts the order depends on are stored with each entry rather than joined from the current extract.
"""
import sqlalchemy as sa
from alembic import op

revision = 'i6a0c0de0046'
down_revision = 'i3a0c0de0043'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('program_rankings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('district_code', sa.String(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('job_status', sa.String(length=10), nullable=False, server_default='done'))
        batch_op.add_column(sa.Column('progress', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('job_error', sa.Text(), nullable=False, server_default=''))
        batch_op.create_check_constraint('ck_program_rankings_job_status',
                                         "job_status IN ('queued', 'running', 'done', 'failed')")
    with op.batch_alter_table('program_ranking_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('head_nik', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('head_birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decile', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('member_count', sa.Integer(), nullable=False, server_default='0'))
    op.create_index('ix_program_ranking_entries_position', 'program_ranking_entries',
                    ['tenant_id', 'ranking_id', 'position'])


def downgrade():
    op.drop_index('ix_program_ranking_entries_position', table_name='program_ranking_entries')
    with op.batch_alter_table('program_ranking_entries', schema=None) as batch_op:
        for column in ('member_count', 'decile', 'head_birth_date', 'head_nik', 'head_name'):
            batch_op.drop_column(column)
    with op.batch_alter_table('program_rankings', schema=None) as batch_op:
        batch_op.drop_constraint('ck_program_rankings_job_status', type_='check')
        for column in ('job_error', 'attempts', 'progress', 'job_status', 'district_code'):
            batch_op.drop_column(column)
