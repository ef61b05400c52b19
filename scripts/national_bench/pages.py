"""The pages measured: who asks, at which host, for what. Facts (the big region, a case, a household,
a district) are read from the data set once."""
from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text

from national_bench.dataset import BASE_DOMAIN, PASSWORD


@dataclass
class Page:
    name: str
    user: str
    path: str
    host: str = ""  # region subdomain; "" = the platform apex
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    form: Callable[[], dict] | None = None  # for a POST
    expect: tuple = (200,)

    @property
    def hostname(self) -> str:
        """The Host the page is asked at: the region's subdomain, or the platform apex."""
        return f"{self.host + '.' if self.host else ''}{BASE_DOMAIN}"

    @property
    def base_url(self) -> str:
        return f"http://{self.hostname}"


def facts(app) -> dict:
    """The biggest region and what its pages show."""
    from app.casework.models import Case, Referral
    from app.citizens.models import Citizen
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    with app.app_context():
        tenant_id = _biggest(app)  # read as the owner: the app role sees one region at a time
        tenant = db.session.get(Tenant, tenant_id)
        assert tenant is not None
        with tenant_context(tenant):
            case_id = db.session.scalar(select(Referral.case_id).order_by(Referral.requested_at.desc()).limit(1)) \
                or db.session.scalar(select(Case.id).order_by(Case.created_at.desc()).limit(1))
            kk = db.session.scalar(select(Citizen.kk_number).where(Citizen.kk_number.is_not(None)).limit(1))
            district = db.session.scalar(select(Case.district_code).group_by(Case.district_code)
                                         .order_by(func.count().desc()).limit(1))
            cases = db.session.scalar(select(func.count()).select_from(Case))
            village = db.session.scalar(select(Case.village_code).where(Case.district_code == district).limit(1))
        return {"slug": tenant.slug, "case_id": case_id, "kk": kk, "district": district, "cases": cases,
                "village": village, "region_code": tenant.region_code}


def _biggest(app):
    from sqlalchemy import create_engine

    with create_engine(app.config["MIGRATION_DATABASE_URI"]).connect() as conn:
        # bench_copies has no row-level security (cases has, forced even for the owner)
        return conn.execute(text(
            "SELECT tenant FROM bench_copies GROUP BY tenant ORDER BY count(*) DESC LIMIT 1")).scalar()


_serial = itertools.count(1)


class IntakeForm:
    """A new citizen for every submit (someone with an open case is asked to choose, a 422). An object,
    not a closure, so the captured recipe that holds it can be pickled for the baseline's server."""

    def __init__(self, village: str):
        self.village = village

    def __call__(self) -> dict:
        rng = random.Random()
        n = next(_serial)
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        digits = self.village.replace(".", "")[:6]
        nik = f"{digits}{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{rng.randrange(1, 10000):04d}"
        return {"intake_token": uuid.uuid4().hex, "nik": nik,  # female: day + 40
                "kk_number": f"{digits}{uuid.uuid4().int % 10**10:010d}", "name": f"Warga Bench {n}",
                "birth_date": born.isoformat(), "sex": "P", "address": "Jl. Melati No. 7 RT 02/RW 03",
                "village_code": self.village, "phone": "0812-3456-7001", "service_area": "kesehatan",
                "channel": "walk_in", "complaint": "Anak sakit, tidak punya biaya berobat ke rumah sakit."}


def pages(f: dict) -> list[Page]:
    slug = f["slug"]
    manager, intake = f"manager@{slug}.demo", f"intake_officer@{slug}.demo"
    today = datetime.now(UTC).date()
    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    return [
        Page("inbox fragment", manager, "/cases/?view=all", slug,
             headers={"HX-Request": "true", "HX-Target": "case-list"}),
        Page("inbox page", manager, "/cases/?view=all", slug),
        Page("case page", manager, f"/cases/{f['case_id']}", slug),
        Page("intake submit", intake, "/intake/", slug, method="POST", form=IntakeForm(f["village"]),
             expect=(302,)),
        Page("home", manager, "/home", slug),
        Page("citizen page", manager, f"/households/{f['kk']}", slug),
        Page("dashboard 12 months", manager, f"/dashboard/?{year}", slug),
        Page("dashboard 1 district", manager, f"/dashboard/?{year}&district={f['district']}", slug),
        Page("console region list", "admin@platform.demo", "/console/"),
        Page("auditor comparison", "auditor@platform.demo", "/console/compare"),
        Page("auditor comparison 12 months", "auditor@platform.demo",
             f"/console/compare?period=custom&start={today - timedelta(days=364)}&end={today}"),
        Page("audit trail", "admin@platform.demo", "/console/audit"),
        Page("register search", manager, f"/register/search?name=Warga&area={f['district']}", slug),
    ]


def key(name: str) -> str:
    return name.replace(" ", "-")


def sign_in(app, page: Page):
    """A test client signed in as the page's user (stops with the reason when it does not hold)."""
    client = app.test_client()
    response = client.post("/login", base_url=page.base_url, data={"email": page.user, "password": PASSWORD})
    if response.status_code not in (200, 302, 303):
        raise SystemExit(f"{page.user} cannot sign in at {page.base_url}: HTTP {response.status_code}")
    return client
