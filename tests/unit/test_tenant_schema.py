"""The schema invariant that keeps tenants apart in the database (and ready for Citus)."""
from app.extensions import db
from app.tenancy.models import tenant_owned_tables


def _tenant_owned():
    tables = tenant_owned_tables(db.metadata)
    assert tables, "no tenant-owned tables found: the mixin lookup is broken"
    return tables


def test_every_tenant_owned_table_has_composite_primary_key(app):
    for table in _tenant_owned():
        assert [c.name for c in table.primary_key.columns] == ["tenant_id", "id"], table.name


def test_tenant_id_references_tenants(app):
    for table in _tenant_owned():
        targets = {fk.target_fullname for fk in table.c.tenant_id.foreign_keys}
        assert "tenants.id" in targets, table.name


def test_foreign_keys_between_tenant_owned_tables_include_tenant_id(app):
    owned = {t.name for t in _tenant_owned()}
    for table in _tenant_owned():
        for constraint in table.foreign_key_constraints:
            referred = constraint.referred_table.name
            if referred not in owned:
                continue
            local = [c.name for c in constraint.columns]
            remote = [e.column.name for e in constraint.elements]
            assert local[0] == "tenant_id" and remote[0] == "tenant_id", (
                f"{table.name} → {referred} must be composite (tenant_id, …): {local}"
            )


def test_unique_constraints_are_per_tenant(app):
    for table in _tenant_owned():
        for constraint in table.constraints:
            if constraint.__class__.__name__ == "UniqueConstraint":
                assert "tenant_id" in constraint.columns, f"{table.name}: {constraint.name}"
        for index in table.indexes:
            if index.unique:
                assert "tenant_id" in index.columns, f"{table.name}: {index.name}"


def test_tenant_owned_tables_are_found_by_mixin(app):
    names = {t.name for t in _tenant_owned()}
    assert {"org_units", "positions", "memberships", "membership_areas"} <= names


def test_every_table_with_tenant_id_is_tenant_owned_or_a_marked_platform_table(app):
    """By construction: a table added later with a `tenant_id` column must choose a side."""
    from app.tenancy.rls import platform_tables

    owned = {t.name for t in _tenant_owned()}
    platform = platform_tables(db.metadata)
    assert {"invitations", "outbound_emails", "platform_audit_events", "tenant_aliases"} <= set(platform)
    for name, reason in platform.items():
        assert name not in owned, f"{name} is both tenant-owned and a platform table"
        assert len(reason.strip()) >= 20, f"{name}: say why it is a platform table"
    undecided = [t.name for t in db.metadata.sorted_tables
                 if "tenant_id" in t.c and t.name not in owned and t.name not in platform]
    assert undecided == [], f"tables with tenant_id that are neither TenantOwned nor platform: {undecided}"
