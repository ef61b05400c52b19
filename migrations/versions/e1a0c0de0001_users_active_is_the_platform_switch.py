"""users.active is the platform's switch only; regions no longer close accounts

Revision ID: e1a0c0de0001
Revises: a776d70c113a
Create Date: 2026-12-07 00:10:00

Written by hand, data only. Until now a region deactivating someone's last post also set
`users.active = false`, and reactivating a post (or accepting any invitation) set it back to
true, which let a region reopen an account the national administrator had closed. From now
on an account is "closed" for a region simply by having no active post (no realm lets it
in), and `users.active` is set only on the platform. Accounts a region closed before (no
platform role: the platform deactivates platform users only) are reopened here, so their
regions can give them a post back; without an active post they still reach no realm.
"""
import sqlalchemy as sa
from alembic import op

revision = 'e1a0c0de0001'
down_revision = 'a776d70c113a'
branch_labels = None
depends_on = None


def upgrade():
    users = sa.table('users', sa.column('active', sa.Boolean), sa.column('platform_role', sa.String))
    op.execute(users.update().where(users.c.active.is_(False), users.c.platform_role.is_(None))
               .values(active=True))


def downgrade():
    # The old meaning is derived from memberships and cannot be told apart per account: leave as is.
    pass
