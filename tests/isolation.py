"""Two regions driven over HTTP, each leaving marked traces, and the views checked for the other's marks.

Every text a region's users type carries that region's prefix (`ZQA<tag>…` or `ZQB<tag>…`,
letters then digits so a PDF cell cannot break it), and every number is the region's own
(NIKs and KK numbers of its districts, phone numbers with a region digit). A view of region
A leaks when it shows a B-prefixed word, one of B's NIKs (full or masked), KK numbers or
phone numbers. Used by tests/unit/test_isolation_property.py.
"""
from __future__ import annotations

import io
import itertools
import re
import subprocess
import uuid
from dataclasses import dataclass, field
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from app.casework.models import Partner
from app.citizens.identity import mask_nik
from app.dashboard.models import ReportJob
from app.dashboard.periods import today
from app.dashboard.sample import onboard_copy
from app.extensions import db
from app.org.models import Position
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.conftest import DEMO_PASSWORD, HostClient
from tests.factories import make_kk, make_nik, tenant, village_of

_serial = itertools.count(7001)
HX = {"HX-Request": "true"}


def page(response) -> str:
    return response.get_data(as_text=True)


def in_region(app, slug, fn):
    """`fn()` inside region `slug` (own app context, committed)."""
    with app.app_context(), tenant_context(tenant(slug)):
        result = fn()
        db.session.commit()
        return result


def _compact_digits(text: str) -> str:
    """`0812 3456-7890` → `081234567890`, so a formatted phone number still matches."""
    return re.sub(r"(?<=\d)[\s.-](?=\d)", "", text)


@dataclass
class Region:
    """One region's users, its marker prefix and every mark it has left so far."""

    slug: str
    prefix: str  # lower case
    digit: str  # phone numbers of this region: 08<digit><digit>…, last four <digit>nnn
    village: str = ""
    position_id: str = ""
    clients: dict = field(default_factory=dict)
    numbers: set = field(default_factory=set)  # NIKs, masked NIKs, KK numbers, phones
    names: list = field(default_factory=list)  # intake names (pre-list, reports)
    niks: list = field(default_factory=list)  # intake NIKs
    register: list = field(default_factory=list)  # (nik, name) of the latest import
    invitees: list = field(default_factory=list)
    files: list = field(default_factory=list)  # register import file names
    partners: dict = field(default_factory=dict)  # name -> id

    def mark(self, kind: str) -> str:
        return f"{self.prefix.upper()}{kind}{next(_serial)}"

    def leaks_in(self, text: str) -> list[str]:
        """This region's marks found in `text` (which should belong to the other region)."""
        low = text.lower()
        found = re.findall(re.escape(self.prefix) + r"[a-z]+\d+", low)
        compact = _compact_digits(text)
        found += sorted(n for n in self.numbers if n in text or n in compact)
        return found


def fresh_region(app, slug: str, template: str, code: str, name: str) -> str:
    """A region of our own made from a shipped template (once per session), with demo staff.

    The shipped regions stay as their templates made them (tests/unit/test_export.py checks that).
    """
    with app.app_context():
        if db.session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is None:
            onboard_copy(template, slug, code, name, DEMO_PASSWORD)
            db.session.commit()
    return slug


class World:
    """Both regions and what may be done in them, through the real app over HTTP."""

    def __init__(self, app, slugs: tuple[str, str]):
        self.app = app
        tag = "".join(c for c in uuid.uuid4().hex if c.isalpha())[:4].ljust(4, "x")
        self.regions = {slug: Region(slug, f"zq{chr(ord('a') + i)}{tag}", str(i + 1))
                        for i, slug in enumerate(slugs)}
        for region in self.regions.values():
            region.village = in_region(app, region.slug, lambda s=region.slug: village_of(s).code)
            region.position_id = in_region(app, region.slug, lambda: str(db.session.scalar(
                select(Position.id).where(Position.role == "data_officer", Position.retired_at.is_(None)))))

        with app.app_context():
            self.month = today().strftime("%Y-%m")

    def other(self, region: Region) -> Region:
        return next(r for r in self.regions.values() if r is not region)

    def client(self, region: Region, role: str) -> HostClient:
        if role not in region.clients:
            client = HostClient(self.app, region.slug)
            client.login(f"{role}@{region.slug}.demo", DEMO_PASSWORD)
            region.clients[role] = client
        return region.clients[role]

    # --- what users do ----------------------------------------------------------------

    def _person(self, region: Region) -> tuple[str, str, date]:
        n = next(_serial)
        birth = date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
        nik, kk = make_nik(region.village, birth, "P", serial=n), make_kk(region.village)
        region.numbers |= {nik, mask_nik(nik), kk}
        return nik, kk, birth

    def intake(self, region: Region) -> str:
        """A complaint at the front office: a new citizen, so also a pre-list proposal."""
        nik, kk, birth = self._person(region)
        region.niks.append(nik)
        n, d = next(_serial) % 1000, region.digit
        name, phone = region.mark("n"), f"08{d * 3}-{n:04d}-{d}{n:03d}"
        region.numbers.add(re.sub(r"\D", "", phone))
        response = self.client(region, "intake_officer").post("/intake/", data={
            "intake_token": uuid.uuid4().hex, "nik": nik, "kk_number": kk, "name": name,
            "birth_date": birth.isoformat(), "sex": "P", "address": f"Jl. {region.mark('a')}",
            "village_code": region.village, "phone": phone, "service_area": "kesehatan", "channel": "walk_in",
            "complaint": f"Keluhan {region.mark('c')}"})
        assert response.status_code == 302, page(response)[:2000]
        region.names.append(name)
        return response.headers["Location"].split("/")[-2]

    def step(self, region: Region, case_id: str) -> None:
        """The next SOP step on one of the region's cases, with a marked note."""
        for role, keys in (("intake_officer", ("forward_to_back_office",)),
                           ("case_officer", ("request_referral", "handle"))):
            client = self.client(region, role)
            response = client.get(f"/cases/{case_id}")
            if response.status_code == 404:  # not this role's to see at this stage
                continue
            html = self.check_view(region, f"case page ({role})", response)
            for key in keys:
                version = re.search(rf'name="{key}-version"[^>]*value="(\d+)"', html)
                if version is None or (key == "request_referral" and not region.partners):
                    continue
                data = {f"{key}-version": version.group(1), f"{key}-note": f"Catatan {region.mark('s')}"}
                if key == "request_referral":
                    data[f"{key}-partner_id"] = next(iter(region.partners.values()))
                response = client.post(f"/cases/{case_id}/steps/{key}", data=data)
                assert response.status_code == 302, (key, response.status_code, page(response)[:1500])
                return

    def import_register(self, region: Region, rows: int) -> None:
        """The data officer replaces the register extract with a marked file."""
        lines, register = ["nik,no_kk,nama,kode_wilayah,alamat"], []
        for _ in range(rows):
            nik, kk, _birth = self._person(region)
            name = region.mark("r")
            register.append((nik, name))
            lines.append(f"{nik},{kk},{name},{region.village},Jl. {region.mark('a')}")
        content, filename = ("\n".join(lines) + "\n").encode(), f"{region.mark('f')}.csv"
        response = self.client(region, "data_officer").post(
            "/register/import", data={"file": (io.BytesIO(content), filename)},
            content_type="multipart/form-data")
        assert response.status_code == 302, page(response)[:2000]
        drain(self.app)  # the import is staged by a job, then previewed
        from tests.helpers.register import pending_id

        officer = self.client(region, "data_officer")
        import_id = pending_id(officer)
        assert import_id, "the staged import has no preview to confirm"
        confirmed = officer.post(f"/register/imports/{import_id}/confirm")
        assert confirmed.status_code == 302, page(confirmed)[:2000]
        drain(self.app)  # the purge of the replaced snapshot
        region.register = register
        region.files.append(filename)

    def invite(self, region: Region) -> None:
        """The manager invites a data officer (no work area) by a marked name and email."""
        name = region.mark("i")
        response = self.client(region, "manager").post("/settings/staff/invite", data={
            "email": f"{name.lower()}@uji.id", "name": name, "position_id": region.position_id})
        assert response.status_code == 200 and "/invite/" in page(response), page(response)[:2000]
        region.invitees.append(name)

    def add_partner(self, region: Region) -> None:
        """The manager adds a marked partner (it shows in the export and in referrals)."""
        name = region.mark("p")
        client = self.client(region, "manager")
        response = client.post("/settings/partners/new", data={
            "name": name, "level": "regency", "kind": "ngo", "contact": f"Kontak {region.mark('k')}",
            "service_areas": "kesehatan"})
        assert response.status_code == 302, page(response)[:2000]
        region.partners[name] = in_region(self.app, region.slug, lambda: str(db.session.scalar(
            select(Partner.id).where(Partner.name == name))))

    def report(self, region: Region, fmt: str) -> str:
        """The manager builds this month's report; returns its text (PDF text or every cell)."""
        client = self.client(region, "manager")
        response = client.post("/dashboard/reports", data={"kind": "monthly", "month": self.month,
                                                           "format": fmt})
        assert response.status_code == 302, page(response)[:2000]
        drain(self.app)
        job_id = in_region(self.app, region.slug, lambda: db.session.scalars(
            select(ReportJob.id).order_by(ReportJob.created_at.desc())).first())
        listing = page(client.get("/dashboard/reports"))
        link = re.search(rf'href="(/dashboard/reports/{job_id}/download\?token=[^"]+)"', listing)
        assert link, f"report {job_id} was not built"
        data = client.get(link.group(1).replace("&amp;", "&")).data
        return pdf_text(data) if fmt == "pdf" else xlsx_text(data)

    # --- what users see -----------------------------------------------------------------

    def check_view(self, region: Region, name: str, response_or_text, typed: str = "") -> str:
        """Assert the view of `region` shows nothing of the other region; returns its text.

        `typed` is a number the viewer typed (a NIK looked up): its echo, full or masked, is theirs.
        """
        text = response_or_text if isinstance(response_or_text, str) else page(response_or_text)
        if not isinstance(response_or_text, str):
            assert response_or_text.status_code == 200, (region.slug, name, response_or_text.status_code)
        if typed:
            text = text.replace(typed, "").replace(mask_nik(typed), "")
        leaks = self.other(region).leaks_in(text)
        assert not leaks, f"{region.slug}: {name} shows {self.other(region).slug}'s {leaks[:5]}"
        return text

    def views(self, region: Region) -> dict[str, str]:
        """Every list, search, register, pre-list, history, staff and export view of the region, checked."""
        other, manager = self.other(region), self.client(region, "manager")
        intake, data = self.client(region, "intake_officer"), self.client(region, "data_officer")
        hx_list = HX | {"HX-Target": "case-list"}
        requests = {
            "inbox (all)": lambda: manager.get("/cases/?view=all"),
            "inbox (closed)": lambda: manager.get("/cases/?view=closed"),
            "inbox (mine)": lambda: intake.get("/cases/"),
            "inbox search (own)": lambda: manager.get(f"/cases/?view=all&q={region.prefix}", headers=hx_list),
            "inbox search (other)": lambda: manager.get(f"/cases/?view=all&q={other.prefix}", headers=hx_list),
            "register": lambda: data.get("/register/"),
            "data updates": lambda: data.get("/verval/updates"),
            "staff": lambda: manager.get("/settings/staff/"),
            "history": lambda: manager.get("/settings/history"),
            "partners": lambda: manager.get("/settings/partners/"),
            "config export": lambda: manager.get("/settings/transfer/export"),
        }
        seen = {name: self.check_view(region, name, get()) for name, get in requests.items()}
        looked_up = [nik for nik, _name in other.register[-1:]] + [n for n in other.niks[-1:]]
        for nik in looked_up:  # the other region's people, looked up here by their NIK
            self.check_view(region, f"register lookup {nik}", data.get(f"/register/?q={nik}"), typed=nik)
            self.check_view(region, f"register check {nik}", intake.get(f"/intake/register-check?nik={nik}"),
                            typed=nik)
        rows = re.findall(r'href="/cases/[0-9a-f-]{36}"', seen["inbox search (other)"])
        assert not rows, f"{region.slug}: searching for {other.slug}'s names finds {len(rows)} cases"
        return seen

    def check_own_visible(self, region: Region, seen: dict[str, str]) -> None:
        """The views are not blank: each shows the region's own latest marks (so a leak could show)."""
        expect = {"inbox search (own)": region.names[-1], "data updates": region.names[-1],
                  "register": region.files[-1], "staff": region.invitees[-1], "history": region.invitees[-1],
                  "config export": next(reversed(region.partners)), "partners": next(reversed(region.partners))}
        for view, mark in expect.items():
            assert mark.lower() in seen[view].lower(), f"{region.slug}: {view} does not show its own {mark}"
        nik, name = region.register[-1]
        found = page(self.client(region, "data_officer").get(f"/register/?q={nik}"))
        assert name.lower() in found.lower(), f"{region.slug}: register lookup does not find its own {name}"


def drain(app) -> None:
    """Run queued jobs (RQ mode); inline mode has already run them."""
    if not app.config.get("REDIS_URL"):
        return
    from rq import SimpleWorker

    from app.jobs.queue import get_queue

    with app.app_context():
        queue = get_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(" ".join(str(v) for v in row if v is not None)
                     for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
