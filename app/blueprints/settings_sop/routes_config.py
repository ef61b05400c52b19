"""Terminology, the configuration history, and export/import of the whole configuration."""
from __future__ import annotations

import hashlib
from datetime import date

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.audit.log import record
from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.forms import TERM_KEYS, ApplyForm, ImportForm, TermsForm
from app.blueprints.settings_sop.routes_sop import configure
from app.org.lookups import active_units
from app.tenancy.context import tenant_in_context
from app.tenants import history as words
from app.tenants.export import export_region, to_yaml
from app.tenants.history import config_history
from app.tenants.importer import ImportRefused, apply_import, prepare_import
from app.tenants.template import TemplateError
from app.tenants.terminology import update_terms

MAX_IMPORT_BYTES = 512 * 1024
TOKEN_MAX_AGE = 3600


@bp.route("/terms", methods=["GET", "POST"])
@configure
def terms():
    """The region's own names: service name, register name, secretariat, unit names."""
    tenant = tenant_in_context()
    units = active_units()
    if request.method == "GET":
        data = {"service_name": tenant.service_name, "service_full_name": tenant.service_full_name,
                "units": [{"key": u.key, "name": u.name} for u in units]}
        data.update({k: tenant.term(k, "") for k in TERM_KEYS})
        form = TermsForm(formdata=None, data=data)
        return render_template("settings_sop/terms.html", form=form, units={u.key: u for u in units})
    form = TermsForm()
    if not form.validate_on_submit():
        return render_template("settings_sop/terms.html", form=form, units={u.key: u for u in units}), 422
    changed = update_terms(tenant, service_name=form.service_name.data, service_full_name=form.service_full_name.data
                           or "", terms={k: form[k].data or "" for k in TERM_KEYS},
                           unit_names={e.form.key.data: e.form.name.data for e in form.units})
    flash(_("Nama dan istilah disimpan.") if changed else _("Tidak ada yang berubah."),
          "success" if changed else "info")
    return redirect(url_for(".terms"))


@bp.get("/history")
@configure
def history():
    """Every configuration change of the region, newest first, by kind."""
    kind = request.args.get("kind", "")
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    result = config_history(kind=kind, page=page)
    if kind and kind not in result.kinds:
        kind, result = "", config_history(page=page)
    return render_template("settings_sop/history.html", result=result, kind=kind, words=words)


def _serializer() -> URLSafeTimedSerializer:
    key = current_app.secret_key
    assert key is not None  # Config always sets SECRET_KEY (a default in development, checked in production)
    return URLSafeTimedSerializer(key, salt="settings-import")


def _fingerprint(tenant) -> str:
    """A hash of the region's configuration now: apply refuses if it moved since the preview."""
    return hashlib.sha256(to_yaml(export_region(tenant)).encode()).hexdigest()


@bp.get("/transfer")
@configure
def transfer():
    """Export the configuration as YAML, or upload a file to import."""
    return render_template("settings_sop/transfer.html", form=ImportForm())


@bp.get("/transfer/export")
@configure
def export():
    """The whole configuration as a YAML file in the onboarding template format."""
    tenant = tenant_in_context()
    header = _("# Konfigurasi %(name)s (%(slug)s), diekspor %(day)s oleh %(who)s.\n"
               "# Format: app/tenants/templates/FORMAT.md — dapat diimpor kembali.\n",
               name=tenant.name, slug=tenant.slug, day=date.today().isoformat(), who=current_user.name)
    body = header + to_yaml(export_region(tenant))
    filename = f"{tenant.slug}-konfigurasi-{date.today().isoformat()}.yaml"
    record("config.export", "tenant", tenant.id, filename=filename)
    return Response(body, mimetype="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _read_upload(form: ImportForm) -> tuple[str, str] | None:
    storage = form.file.data
    raw = storage.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        form.file.errors = [_("Berkas terlalu besar (paling besar 512 KB).")]
        return None
    try:
        return storage.filename or "konfigurasi.yaml", raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors = [_("Berkas harus teks UTF-8 (YAML).")]
        return None


@bp.post("/transfer/preview")
@configure
def import_preview():
    """Validate an uploaded file and show what importing it would change; writes nothing."""
    tenant = tenant_in_context()
    form = ImportForm()
    upload = _read_upload(form) if form.validate_on_submit() else None
    if upload is None:
        return render_template("settings_sop/transfer.html", form=form), 422
    filename, text = upload
    try:
        plan = prepare_import(tenant, text, filename)
    except TemplateError as exc:
        form.file.errors = [_("Berkas ditolak; tidak ada yang diubah.")]
        return render_template("settings_sop/transfer.html", form=form, problems=exc.problems, filename=filename), 422
    token = _serializer().dumps({"t": str(tenant.id), "name": filename, "text": text, "base": _fingerprint(tenant)})
    return render_template("settings_sop/import_preview.html", plan=plan, filename=filename,
                           apply_form=ApplyForm(formdata=None, data={"token": token}))


@bp.post("/transfer/apply")
@configure
def import_apply():
    """Apply a previewed file: the region's configuration becomes what the file says."""
    tenant = tenant_in_context()
    form = ApplyForm()
    payload = None
    if form.validate_on_submit():
        try:
            payload = _serializer().loads(form.token.data, max_age=TOKEN_MAX_AGE)
        except BadSignature:
            payload = None
    if not payload or payload.get("t") != str(tenant.id):
        flash(_("Pratinjau impor tidak sah atau sudah kedaluwarsa; unggah berkasnya lagi."), "error")
        return render_template("settings_sop/transfer.html", form=ImportForm(formdata=None)), 400
    if payload.get("base") != _fingerprint(tenant):
        flash(_("Konfigurasi daerah berubah sejak pratinjau dibuat; unggah berkasnya lagi untuk melihat "
                "perbedaan terbaru."), "error")
        return render_template("settings_sop/transfer.html", form=ImportForm(formdata=None)), 409
    try:
        plan = prepare_import(tenant, payload["text"], payload["name"])
        changes = apply_import(tenant, plan, current_user.user)
    except (TemplateError, ImportRefused) as exc:
        return render_template("settings_sop/transfer.html", form=ImportForm(formdata=None),
                               problems=exc.problems, filename=payload["name"]), 422
    if changes or plan.sop_changed:
        flash(_("Konfigurasi dari %(f)s diterapkan: %(n)s perubahan.", f=payload["name"], n=len(changes)), "success")
    else:
        flash(_("Berkas sama dengan konfigurasi sekarang; tidak ada yang diubah."), "info")
    return redirect(url_for(".history"))
