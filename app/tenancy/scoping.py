"""Central tenant scoping: one ORM filter, one insert rule, one database setting, one platform bind.

* `install_tenant_scoping()` runs in `create_app` (`register_extensions`), so the rules hold
  from the first statement a process makes, tenant or not.
* Every ORM SELECT/UPDATE/DELETE gets `with_loader_criteria(TenantOwned, tenant_id == current)`
  (the pattern of SQLAlchemy's `examples/extending_query/filter_public.py`). Outside a
  tenant the criteria match nothing: the default fails closed.
* The only way past it is the named execution option `all_tenants=True`, meant for
  platform code, and for reading only: such a statement runs on the *platform bind*
  (`PLATFORM_DATABASE_URL`, a read-only role whose policy shows every tenant; see
  `app.tenancy.rls`), in the same session transaction. An UPDATE, DELETE or INSERT with the
  option is refused. On SQLite without a platform URL the platform bind is the app's engine.
* New tenant-owned rows get `tenant_id` from the context; a row for another tenant
  is refused before it reaches the database.
* On PostgreSQL each transaction carries `app.tenant_id` (`set_config(..., true)`) on every
  connection it uses (primary, platform, replica), so row-level security sees the same tenant
  as the ORM.
* A request marked `app.tenancy.reads.read_from_replica()` sends its plain SELECTs to the read
  replica's binds when configured (see there); writes stay on the primary.
"""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event, false, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.tenancy.context import ALL_TENANTS, current_tenant_id
from app.tenancy.models import TenantOwned
from app.tenancy.reads import replica_for

#: Flask-SQLAlchemy bind key of the platform role's engine (no model is mapped to it).
PLATFORM_BIND = "platform"


class CrossTenantWrite(RuntimeError):
    """A tenant-owned row was about to be written for another tenant than the current one."""


class PlatformBindMissing(RuntimeError):
    """An all-tenants read on PostgreSQL without PLATFORM_DATABASE_URL configured."""


def configure_platform_bind(app: Flask) -> None:
    """Add the platform role's engine as a bind (before `db.init_app`), when configured."""
    url = app.config.get("PLATFORM_DATABASE_URI")
    if not url or url == app.config.get("SQLALCHEMY_DATABASE_URI"):
        return
    binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})  # never mutate a shared default
    binds[PLATFORM_BIND] = url
    app.config["SQLALCHEMY_BINDS"] = binds


def install_tenant_scoping() -> None:
    """Register the session listeners (idempotent; once per process is enough)."""
    for name, listener in (("after_begin", _after_begin), ("do_orm_execute", _scope_to_tenant),
                           ("before_flush", _stamp_tenant)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def platform_engine() -> Engine:
    """The engine for reads across every tenant: the platform role's; on SQLite without one, the app's.

    On PostgreSQL without PLATFORM_DATABASE_URL it refuses (the app role sees one tenant at
    most, so a silent fallback would show the platform wrong figures).
    """
    from app.extensions import db

    engine = db.engines.get(PLATFORM_BIND)
    if engine is not None:
        return engine
    if db.engine.dialect.name == "postgresql":
        raise PlatformBindMissing("PLATFORM_DATABASE_URL is not set: platform reads need the platform role")
    return db.engine


def platform_connection() -> Connection:
    """The current session's connection on the platform engine (read only, every tenant)."""
    from app.extensions import db

    return db.session.connection(bind_arguments={"bind": platform_engine()})


def _set_pg_tenant(connection, tenant_id) -> None:
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tid, true)"),
        {"tid": str(tenant_id) if tenant_id else ""},
    )


def apply_tenant_setting() -> None:
    """Re-apply the tenant to a transaction already open when the context changed (each of its connections)."""
    from app.extensions import db

    session = db.session()
    if not session.in_transaction():
        return
    # Connections not begun yet get the new tenant from `_after_begin` when they are.
    for connection in _open_pg_connections(session):  # the primary's, a replica's, the platform role's
        _set_pg_tenant(connection, current_tenant_id())


#: `session.info` key: the PostgreSQL connections the session's transactions began (see `_after_begin`).
_PG_CONNECTIONS = "tenancy_pg_connections"


def _open_pg_connections(session) -> list[Connection]:
    return [c for c in session.info.get(_PG_CONNECTIONS, ()) if not c.closed and c.in_transaction()]


def _after_begin(session, transaction, connection) -> None:
    # Runs for every connection a session transaction begins, whichever engine (bind) it is on.
    if connection.dialect.name == "postgresql":
        session.info[_PG_CONNECTIONS] = [*(c for c in _open_pg_connections(session) if c is not connection),
                                         connection]
        _set_pg_tenant(connection, _safe_tenant_id())


def _safe_tenant_id():
    try:
        return current_tenant_id()
    except RuntimeError:  # no app context (e.g. a bare script)
        return None


def _scope_to_tenant(state: ORMExecuteState):
    if state.execution_options.get(ALL_TENANTS):
        return _execute_all_tenants(state)
    if not (state.is_select or state.is_update or state.is_delete):
        return None
    tenant_id = _safe_tenant_id()
    if tenant_id is None:
        criteria = with_loader_criteria(TenantOwned, lambda cls: false(), include_aliases=True)
    else:
        criteria = with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    state.statement = state.statement.options(criteria)
    replica = replica_for(state)
    if replica is None:
        return None
    return state.invoke_statement(bind_arguments={"bind": replica})


def _execute_all_tenants(state: ORMExecuteState):
    if state.is_update or state.is_delete or state.is_insert:
        raise CrossTenantWrite("the all_tenants option is for reading; write in the region's tenant context")
    engine = replica_for(state, all_tenants=True) or platform_engine()
    return state.invoke_statement(bind_arguments={"bind": engine})


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
