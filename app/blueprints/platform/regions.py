"""Regions: the lifecycle list, one region's page, and activate / suspend / rename."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.blueprints.platform.forms import ActionForm, ActivateForm, ManagerInviteForm, RenameForm, SuspendForm
from app.extensions import db, htmx
from app.platform import operations as ops
from app.platform.manager_invites import manager_invitations, manager_positions
from app.platform.operations import PlatformError
from app.platform.readiness import region_readiness
from app.platform.regions import region_history
from app.platform.stats import region_page, region_rows
from app.tenancy.models import Tenant, TenantStatus
from app.tenancy.reads import reads_primary

READERS = ("national_admin", "auditor")
STATUSES = tuple(s.value for s in TenantStatus)


@bp.get("/")
@platform_required(*READERS)
def console():
    """The regions (50 a page, searchable by name, code or subdomain) with their status, active
    staff, open and overdue cases, last activity."""
    status = request.args.get("status", "")
    if status not in STATUSES:
        status = ""
    query = request.args.get("q", "").strip()[:100]
    pager, rows = region_page(status, query, request.args.get("page", 1, type=int) or 1)
    counts = {s: 0 for s in STATUSES}
    for value, n in db.session.execute(select(Tenant.status, func.count()).group_by(Tenant.status)):
        counts[value] = counts.get(value, 0) + n
    context = dict(rows=rows, pager=pager, status=status, counts=counts, query=query,
                   list_args={k: v for k, v in (("status", status), ("q", query)) if v})
    if htmx and htmx.target == "region-list":
        return render_block("platform/console.html", "region_list", **context)
    return render_template("platform/console.html", **context)


def _load(tenant_id) -> Tenant:
    tenant = db.get_or_404(Tenant, tenant_id)
    return tenant


def _render_region(tenant: Tenant, status: int = 200, **forms):
    (row,) = region_rows(only=tenant.id)
    history = region_history(tenant)
    admin = current_user.platform_role == "national_admin"
    forms.setdefault("rename_form", RenameForm(formdata=None))
    forms.setdefault("suspend_form", SuspendForm(formdata=None))
    forms.setdefault("activate_form", ActivateForm(formdata=None))
    forms.setdefault("action_form", ActionForm(formdata=None))
    invite_form = forms.setdefault("invite_form", ManagerInviteForm(formdata=None))
    posts = manager_positions(tenant)
    invite_form.position_id.choices = [(str(p.id), p.title) for p in posts]
    readiness = region_readiness(tenant) if tenant.status == TenantStatus.ONBOARDING.value else None
    forms.setdefault("replace_form", ManagerInviteForm(prefix="replace", formdata=None))
    forms.setdefault("replacing", None)
    return render_template("platform/region.html", region=tenant, row=row, aliases=history.aliases,
                           invitations=history.invitations, events=history.events, readiness=readiness,
                           manager_invites=manager_invitations(tenant, with_links=admin), **forms), status


@bp.get("/regions/<uuid:tenant_id>")
@reads_primary
@platform_required(*READERS)
def region(tenant_id):
    """One region: status, figures, former subdomains, invitations, lifecycle history."""
    return _render_region(_load(tenant_id))


@bp.post("/regions/<uuid:tenant_id>/activate")
@platform_required("national_admin")
def activate_region(tenant_id):
    """Put an onboarding region live, or a suspended one back in service."""
    tenant = _load(tenant_id)
    form = ActivateForm()
    if not form.validate_on_submit():
        return _render_region(tenant, 422, activate_form=form)
    try:
        action = ops.activate_region(tenant, confirmed=bool(form.confirm.data), reason=form.reason.data or "")
    except PlatformError as exc:
        if exc.field in ("confirm", "reason"):
            form[exc.field].errors = [exc.message]
            return _render_region(tenant, 422, activate_form=form)
        flash(exc.message, "warning")
        return redirect(url_for("platform.region", tenant_id=tenant.id))
    message = (_("%(name)s aktif kembali. Petugasnya dapat bekerja seperti sebelumnya.", name=tenant.name)
               if action == "region.reactivate" else
               _("%(name)s sudah tayang dan tampil di daftar daerah.", name=tenant.name))
    flash(message, "success")
    return redirect(url_for("platform.region", tenant_id=tenant.id))


@bp.post("/regions/<uuid:tenant_id>/suspend")
@platform_required("national_admin")
def suspend_region(tenant_id):
    """Suspend a region: its staff see a notice page; nothing is deleted."""
    tenant = _load(tenant_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        return _render_region(tenant, 422, suspend_form=form)
    try:
        ops.suspend_region(tenant, form.reason.data or "")
    except PlatformError as exc:
        flash(exc.message, "warning")
        return redirect(url_for("platform.region", tenant_id=tenant.id))
    flash(_("%(name)s ditangguhkan. Petugasnya melihat pemberitahuan; data tetap tersimpan.", name=tenant.name),
          "success")
    return redirect(url_for("platform.region", tenant_id=tenant.id))


@bp.post("/regions/<uuid:tenant_id>/subdomain")
@platform_required("national_admin")
def rename_region(tenant_id):
    """Move a region to a new subdomain; the old one keeps redirecting to it."""
    tenant = _load(tenant_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            old = ops.rename_subdomain(tenant, form.slug.data)
        except PlatformError as exc:
            form.slug.errors = [exc.message]
        else:
            flash(_("Subdomain %(name)s sekarang '%(new)s'; alamat lama '%(old)s' dialihkan ke sana. "
                    "Petugas perlu masuk lagi di alamat baru.", name=tenant.name, new=tenant.slug, old=old),
                  "success")
            return redirect(url_for("platform.region", tenant_id=tenant.id))
    return _render_region(tenant, 422, rename_form=form)
