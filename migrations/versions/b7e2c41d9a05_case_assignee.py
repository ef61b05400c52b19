"""case assignee: the officer responsible for a case right now

Revision ID: b7e2c41d9a05
Revises: 4f6cc91d59c6
Create Date: 2026-11-24 09:00:00

Written by hand (sibling revisions branch from the same head; a merge revision follows).
On SQLite the column is added with a plain ADD COLUMN … REFERENCES, never a batch
table copy: copying `cases` would have to drop a table that case events point at.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b7e2c41d9a05'
down_revision = '4f6cc91d59c6'
branch_labels = None
depends_on = None

FK = 'fk_cases_assignee_id_users'
INDEX = 'ix_cases_assignee_id'


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE cases ADD COLUMN assignee_id CHAR(32) '
                   f'CONSTRAINT {FK} REFERENCES users (id)')
    else:
        op.add_column('cases', sa.Column('assignee_id', sa.Uuid(), nullable=True))
        op.create_foreign_key(FK, 'cases', 'users', ['assignee_id'], ['id'])
    op.create_index(INDEX, 'cases', ['assignee_id'], unique=False)


def downgrade():
    op.drop_index(INDEX, table_name='cases')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE cases DROP COLUMN assignee_id')
    else:
        op.drop_constraint(FK, 'cases', type_='foreignkey')
        op.drop_column('cases', 'assignee_id')
