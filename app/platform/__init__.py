"""The national platform: onboarding regions, their lifecycle, platform users, audit and comparison.

Code here works across regions (national administrator, auditor). It reads tenant-owned
tables only with the `all_tenants` execution option (`app.tenancy.context.ALL_TENANTS`)
and never shows a full NIK.
"""
