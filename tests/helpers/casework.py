"""Casework helpers shared by page tests."""
from __future__ import annotations

from app.extensions import db
from app.reports.receipt import handling_stages
from app.tenancy.context import tenant_context
from tests.factories import make_case, tenant


def new_case(app, slug, **kw):
    with app.app_context(), tenant_context(tenant(slug)):
        case = make_case(slug, **kw)
        facts = dict(id=case.id, ticket=case.ticket, nik=case.citizen.nik, name=case.citizen.name,
                     service_name=tenant(slug).service_name,
                     stages=handling_stages(case.sop_version.sop, case.state))
        db.session.commit()
        return facts
