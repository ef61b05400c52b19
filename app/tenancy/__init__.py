"""The tenancy mechanism: which region a request, command or job runs as, and how that is enforced.

Host resolution and former subdomains (`resolver`), the current tenant (`context`), the ORM
filter and insert rule (`scoping`), PostgreSQL row-level security (`rls`), composite keys
(`keys`), and the tenant registry with the `TenantOwned` mixin (`models`).

The lowest floor: every package may use it, and it imports no domain package
(`tests/unit/test_layers.py` checks this). Region *configuration* lives in `app.tenants`.
"""
