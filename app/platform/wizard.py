"""Onboarding a region in four steps, without code: region, starting point, service, manager.

The wizard's state travels with the form (hidden fields), never in the database: each step
validates what it has, and only the last step creates anything — the tenant, its structure
and SOP (`onboard_region`, status "onboarding") and the first manager's invitation — in the
request's one transaction.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import asdict, dataclass, fields

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.accounts.invitations import account_places, existing_account
from app.extensions import db
from app.platform.starting_points import (
    build_template,
    regency_facts,
    source_region,
    title_case,
)
from app.reference.models import Province, Regency
from app.tenancy.models import Tenant, TenantStatus
from app.tenants.template import TemplateError, load_yaml

STARTS = ("blank", "copy", "upload")
MAX_UPLOAD = 512 * 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@dataclass
class WizardData:
    """Everything typed so far (all strings, as they travel in the form)."""

    region_code: str = ""
    start: str = ""
    copy_from: str = ""       # id of the region whose structure is copied
    puskesos: str = "1"       # blank structure: include a Puskesos ("1") or not ("")
    template_b64: str = ""    # the uploaded YAML, base64 (kept between steps)
    template_name: str = ""
    slug: str = ""
    service_name: str = ""
    regulation_title: str = ""
    regulation_short: str = ""
    ticket_prefix: str = ""   # what the region's ticket numbers start with (`app.tenants.ticket_prefix`)
    manager_name: str = ""
    manager_email: str = ""
    manager_existing_ok: str = ""  # the manager email the administrator was told already has an account

    @classmethod
    def from_form(cls, form) -> WizardData:
        data = cls(**{f.name: (form.get(f.name) or "").strip() for f in fields(cls)})
        data.slug, data.manager_email = data.slug.lower(), data.manager_email.lower()
        data.ticket_prefix = data.ticket_prefix.upper()
        return data

    def hidden(self) -> dict[str, str]:
        return asdict(self)

    @property
    def uploaded_text(self) -> str:
        try:
            return base64.b64decode(self.template_b64.encode(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""


def search_regencies(query: str, limit: int = 25) -> list[tuple[Regency, str, Tenant | None]]:
    """(regency, province name, its tenant if already onboarded) by name or code; up to
    `limit` + 1 rows, so the caller can tell that there are more."""
    query = query.strip()
    if not query:
        return []
    stmt = (select(Regency, Province.name, Tenant).join(Province, Province.code == Regency.province_code)
            .outerjoin(Tenant, Tenant.region_code == Regency.code)
            .where(or_(Regency.name.ilike(f"%{query}%"), Regency.code.startswith(query)))
            .order_by(Regency.code).limit(limit + 1))
    return [(reg, title_case(prov), tenant) for reg, prov, tenant in db.session.execute(stmt)]


def bare_name(regency: Regency) -> str:
    return re.sub(r"^(KABUPATEN|KOTA)\s+(ADMINISTRASI\s+)?", "", regency.name.upper()).strip()


def suggest(data: WizardData) -> WizardData:
    """Fill the service step's empty fields with sensible defaults for the chosen region."""
    from app.platform.operations import slug_problem

    facts = regency_facts(data.region_code)
    if facts is None:
        return data
    regency, _province = facts
    if not data.slug:
        base = re.sub(r"[^a-z0-9]+", "-", bare_name(regency).lower()).strip("-")[:50]
        shared = db.session.scalar(select(func.count()).select_from(Regency).where(
            Regency.name.ilike(f"%{bare_name(regency)}"))) or 0
        prefixed = ("kota-" if regency.kind == "kota" else "kab-") + base
        data.slug = prefixed if shared > 1 or slug_problem(base) else base
    upload = _uploaded_region(data) if data.start == "upload" else {}
    regulation = upload.get("regulation")
    if not isinstance(regulation, dict):
        regulation = {}
    data.service_name = data.service_name or str(upload.get("service_name") or f"SLRT {regency.display_name}")
    # The region's own regulation is typed by the administrator: never the national one
    # (Permensos 15/2018 is the basis of the structure, not the region's regulation), and an
    # uploaded file's only when its region block is this very region.
    if str(upload.get("code") or "") == data.region_code:
        data.regulation_title = data.regulation_title or str(regulation.get("title") or "")
        data.regulation_short = data.regulation_short or str(regulation.get("short") or "")
        data.ticket_prefix = data.ticket_prefix or str(upload.get("ticket_prefix") or "").upper()
    if not data.ticket_prefix:
        from app.tenants.ticket_prefix import default_prefix

        data.ticket_prefix = default_prefix(data.slug)
    return data


def _uploaded_region(data: WizardData) -> dict:
    try:
        loaded = load_yaml(data.uploaded_text, data.template_name or "unggahan.yaml")
    except TemplateError:
        return {}
    region = loaded.get("region") if isinstance(loaded, dict) else None
    return region if isinstance(region, dict) else {}


# --- validation, step by step -----------------------------------------------------------

def validate(step: int, data: WizardData) -> dict[str, list[str]]:
    """Problems with the fields of `step` (field name → messages); empty when all is well."""
    errors: dict[str, list[str]] = {}
    check = {1: _check_region, 2: _check_start, 3: _check_service, 4: _check_manager}[step]
    for name, message in check(data):
        errors.setdefault(name, []).append(message)
    return errors


def _check_region(data: WizardData):
    if not data.region_code:
        yield "region_code", _("Pilih kabupaten/kota dari daftar resmi.")
        return
    if regency_facts(data.region_code) is None:
        yield "region_code", _("Kode %(c)s tidak ada dalam daftar resmi kabupaten/kota.", c=data.region_code)
        return
    tenant = db.session.scalar(select(Tenant).where(Tenant.region_code == data.region_code))
    if tenant is not None:
        yield "region_code", _("%(name)s sudah terdaftar (subdomain '%(slug)s').", name=tenant.name, slug=tenant.slug)


def _check_start(data: WizardData):
    if data.start not in STARTS:
        yield "start", _("Pilih titik awal struktur.")
        return
    field = template_field(data)
    if data.start == "copy" and source_region(data) is None:
        yield field, _("Pilih daerah yang strukturnya disalin.")
        return
    if data.start == "upload" and not data.template_b64:
        yield field, _("Unggah berkas templat YAML.")
        return
    if data.start == "upload" and not data.uploaded_text:
        yield field, _("Berkas tidak dapat dibaca sebagai teks UTF-8.")
        return
    # The service step comes later: check the structure with stand-ins for its fields.
    probe = WizardData(**{**asdict(data), "slug": "calon-daerah", "service_name": "-",
                          "regulation_title": "-", "regulation_short": "-"})
    for name, message in template_problems(probe):
        yield (field if name in ("region_code", "slug") else name), message


def _check_service(data: WizardData):
    from app.platform.operations import slug_problem
    from app.tenants.ticket_prefix import prefix_problem

    problem = slug_problem(data.slug)
    if problem:
        yield "slug", problem
    problem = prefix_problem(data.ticket_prefix) if data.ticket_prefix else None  # empty: the default
    if problem:
        yield "ticket_prefix", problem
    for name, label, limit in (("service_name", _("Nama layanan"), 200),
                               ("regulation_title", _("Judul peraturan"), 2000),
                               ("regulation_short", _("Singkatan peraturan"), 100)):
        value = getattr(data, name)
        if not value:
            yield name, _("%(label)s wajib diisi.", label=label)
        elif len(value) > limit:
            yield name, _("%(label)s paling banyak %(n)s karakter.", label=label, n=limit)


def _check_manager(data: WizardData):
    if not data.manager_name:
        yield "manager_name", _("Nama manajer wajib diisi.")
    elif len(data.manager_name) > 200:
        yield "manager_name", _("Nama paling banyak 200 karakter.")
    if not data.manager_email:
        yield "manager_email", _("Email manajer wajib diisi.")
    elif len(data.manager_email) > 254 or not _EMAIL.match(data.manager_email):
        yield "manager_email", _("Format email tidak sah.")
    elif (account := existing_account(data.manager_email)) is not None and not account.active:
        yield "manager_email", _("Akun dengan email ini dinonaktifkan di platform; undangan tidak dapat "
                                 "mengaktifkannya kembali. Gunakan email lain.")


def manager_notice(data: WizardData) -> str | None:
    """Said before sending when the manager email already has an account (the administrator
    may see where it is used); None for a brand-new email."""
    account = existing_account(data.manager_email) if data.manager_email else None
    if account is None:
        return None
    places = "; ".join(account_places(account)) or _("tanpa jabatan aktif")
    return _("%(e)s sudah terdaftar di SLRT Cloud (%(places)s). Orang tersebut akan bergabung dengan akun yang "
             "sudah ada dengan kata sandinya sendiri; nama dan kata sandinya tidak berubah.",
             e=data.manager_email, places=places)


def unconfirmed_manager_notice(data: WizardData) -> str | None:
    """The notice, while the administrator has not yet been shown it for this very email."""
    notice = manager_notice(data)
    return notice if notice and data.manager_existing_ok != data.manager_email else None


def template_field(data: WizardData) -> str:
    """The form field a problem in the starting structure is shown at."""
    return {"copy": "copy_from", "upload": "template_file"}.get(data.start, "start")


def template_problems(data: WizardData):
    """(field, message) for every problem of the template the wizard would create."""
    try:
        template = build_template(data)
    except TemplateError as exc:
        for problem in exc.problems:
            yield _field_of(problem, data), problem
        return
    if not any(p.role == "manager" for p in template.positions):
        yield template_field(data), _("Struktur tidak memiliki jabatan dengan peran Manajer (manager).")


def _field_of(problem: str, data: WizardData) -> str:
    if problem.startswith("region.slug"):
        return "slug"
    if problem.startswith("region.code"):
        return "region_code"
    if problem.startswith("region.ticket_prefix"):
        return "ticket_prefix"
    if problem.startswith("region.regulation"):
        return "regulation_title"
    if problem.startswith("region: 'service_name'"):
        return "service_name"
    return template_field(data)


def complete(data: WizardData, *, invited_by):
    """Create the region (status onboarding) and invite its first manager; returns
    (tenant, invitation, link). Raises TemplateError; the request's rollback undoes all."""
    from app.org.models import Position
    from app.platform.audit import record_platform
    from app.platform.manager_invites import create_manager_invitation
    from app.tenancy.context import tenant_context
    from app.tenants.onboarding import onboard_region

    template = build_template(data)
    manager_key = next(p.key for p in template.positions if p.role == "manager")
    tenant = onboard_region(template, status=TenantStatus.ONBOARDING.value)
    with tenant_context(tenant):
        position = db.session.scalars(select(Position).where(Position.key == manager_key)).one()
    # A console invitation: its link stays on the region page while it is pending.
    invitation, link = create_manager_invitation(tenant, position, data.manager_email, data.manager_name,
                                                 invited_by=invited_by)
    record_platform("region.onboard", tenant=tenant, object_type="tenant", object_id=tenant.id,
                    code=tenant.region_code, slug=tenant.slug, start=data.start, source=template.source,
                    manager=invitation.email)
    return tenant, invitation, link


#: The step each field is asked at (errors send the person back there).
FIELD_STEP = {"region_code": 1, "start": 2, "copy_from": 2, "puskesos": 2, "template_file": 2, "slug": 3,
              "service_name": 3, "regulation_title": 3, "regulation_short": 3, "ticket_prefix": 3,
              "manager_name": 4, "manager_email": 4}


def problems_by_field(exc: TemplateError, data: WizardData) -> dict[str, list[str]]:
    """A refused template's problems, each at the field it belongs to."""
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        errors.setdefault(_field_of(problem, data), []).append(problem)
    return errors


def first_step(errors: dict[str, list[str]]) -> int:
    return min((FIELD_STEP.get(name, 2) for name in errors), default=1)
