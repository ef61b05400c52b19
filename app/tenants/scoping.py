"""Central tenant scoping: one ORM filter, one insert rule, one database setting.

* Every ORM SELECT/UPDATE/DELETE gets `with_loader_criteria(TenantOwned, tenant_id == current)`
  (the pattern of SQLAlchemy's `examples/extending_query/filter_public.py`). Outside a
  tenant the criteria match nothing: the default fails closed.
* The only way past it is the named execution option `all_tenants=True`, meant for
  platform code. On PostgreSQL the same statement also lifts row-level security for
  itself only.
* New tenant-owned rows get `tenant_id` from the context; a row for another tenant
  is refused before it reaches the database.
* On PostgreSQL each transaction carries `app.tenant_id` (`set_config(..., true)`), so
  row-level security sees the same tenant as the ORM.
"""
from __future__ import annotations

from sqlalchemy import event, false, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.tenants.context import ALL_TENANTS, current_tenant_id
from app.tenants.models import TenantOwned


class CrossTenantWrite(RuntimeError):
    """A tenant-owned row was about to be written for another tenant than the current one."""


def _is_postgres(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "postgresql"


def _set_pg_tenant(connection, tenant_id) -> None:
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tid, true)"),
        {"tid": str(tenant_id) if tenant_id else ""},
    )


def apply_tenant_setting() -> None:
    """Re-apply the tenant to a transaction already open when the context changed."""
    from app.extensions import db

    session = db.session()
    if session.in_transaction() and _is_postgres(session):
        _set_pg_tenant(session.connection(), current_tenant_id())


@event.listens_for(Session, "after_begin")
def _after_begin(session, transaction, connection) -> None:
    if connection.dialect.name == "postgresql":
        _set_pg_tenant(connection, _safe_tenant_id())


def _safe_tenant_id():
    try:
        return current_tenant_id()
    except RuntimeError:  # no app context (e.g. a bare script)
        return None


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState):
    if not (state.is_select or state.is_update or state.is_delete):
        return None
    if state.execution_options.get(ALL_TENANTS):
        return _execute_all_tenants(state)
    tenant_id = _safe_tenant_id()
    if tenant_id is None:
        criteria = with_loader_criteria(TenantOwned, lambda cls: false(), include_aliases=True)
    else:
        criteria = with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    state.statement = state.statement.options(criteria)
    return None


def _execute_all_tenants(state: ORMExecuteState):
    session = state.session
    if not _is_postgres(session):
        return None
    connection = session.connection()
    connection.execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
    try:
        frozen = state.invoke_statement().freeze()
    finally:
        connection.execute(text("SELECT set_config('app.all_tenants', '', true)"))
    return frozen()


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session, flush_context, instances) -> None:
    tenant_id = _safe_tenant_id()
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TenantOwned):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise CrossTenantWrite(
                    f"{type(obj).__name__} created outside any tenant context"
                )
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise CrossTenantWrite(
                f"{type(obj).__name__} of tenant {obj.tenant_id} written in tenant {tenant_id}"
            )
