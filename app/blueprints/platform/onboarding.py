"""The onboarding wizard: a new region in four steps, created only at the last one."""
from __future__ import annotations

import base64

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_htmx.responses import HTMXResponseClientRedirect
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy.exc import IntegrityError
from werkzeug.utils import secure_filename

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.blueprints.platform.forms import OnboardForm
from app.extensions import db, htmx
from app.platform.regions import regions_by_name
from app.platform.upload_review import review_upload
from app.platform.wizard import (
    FIELD_STEP,
    MAX_UPLOAD,
    WizardData,
    bare_name,
    complete,
    first_step,
    problems_by_field,
    regency_facts,
    search_regencies,
    source_region,
    suggest,
    unconfirmed_manager_notice,
    validate,
)
from app.tenants.template import TemplateError

STEP_TITLES = {1: _l("Daerah"), 2: _l("Struktur awal"), 3: _l("Layanan"), 4: _l("Manajer pertama")}


def _step(value, default: int = 1) -> int:
    try:
        return min(max(int(value), 1), 4)
    except (TypeError, ValueError):
        return default


def _render(data: WizardData, step: int, errors: dict | None = None, status: int = 200, q: str = "",
            notice: str | None = None):
    form = OnboardForm(formdata=None, data=data.hidden())
    form.copy_from.choices = [("", _("— pilih daerah —"))] + [
        (str(t.id), f"{t.name} ({t.slug})") for t in regions_by_name()]
    for name, messages in (errors or {}).items():
        form[name].errors = list(messages)
    facts = regency_facts(data.region_code) if data.region_code else None
    if step == 1 and not q and facts:  # back at the first step: show the chosen region again
        q = bare_name(facts[0]).title()
    context = dict(form=form, data=data, step=step, q=q, results=search_regencies(q), chosen=facts,
                   source=source_region(data), titles=STEP_TITLES, field_step=FIELD_STEP,
                   summary=_summary(data) if step == 4 else None, notice=notice,
                   review=review_upload(data) if step >= 3 else None)
    if htmx and htmx.target == "region-results":
        return render_block("platform/onboard.html", "region_results", **context), status
    if htmx and htmx.target == "wizard":
        return render_block("platform/onboard.html", "wizard", **context), status
    return render_template("platform/onboard.html", **context), status


def _summary(data: WizardData):
    """What the last step will create (units and posts of the template), or None if refused."""
    from app.platform.wizard import build_template

    try:
        return build_template(data)
    except TemplateError:
        return None


def _take_upload(data: WizardData) -> dict[str, list[str]]:
    upload = request.files.get("template_file")
    if data.start != "upload" or upload is None or not upload.filename:
        return {}
    raw = upload.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        data.template_b64, data.template_name = "", ""
        return {"template_file": [_("Berkas terlalu besar (paling besar %(kb)s KB).", kb=MAX_UPLOAD // 1024)]}
    data.template_b64 = base64.b64encode(raw).decode()
    data.template_name = secure_filename(upload.filename) or "unggahan.yaml"
    return {}


@bp.route("/regions/new", methods=["GET", "POST"])
@platform_required("national_admin")
def onboard():
    """Onboard a region: pick it from the official list, choose a starting structure, set the
    service and invite its first manager. Each step checks its fields (422 with the errors at
    the fields, everything typed kept); nothing is created before the last step succeeds."""
    if request.method == "GET":
        return _render(WizardData(), 1, q=request.args.get("q", "")[:100])
    data = WizardData.from_form(request.form)
    q = request.form.get("q", "")[:100]
    if request.form.get("search"):  # the search button (or Enter in the search box)
        return _render(data, 1, q=q)
    if request.form.get("back"):
        return _render(data, _step(request.form.get("back")), q=q)
    step = _step(request.form.get("step"))
    errors = _take_upload(data) if step == 2 else {}
    for earlier in range(1, step + 1):  # hidden fields of earlier steps are checked again
        if errors:
            break
        errors = validate(earlier, data)
    if errors:
        return _render(data, first_step(errors), errors, 422, q=q)
    if step < 4:
        return _render(suggest(data) if step == 2 else data, step + 1)
    notice = unconfirmed_manager_notice(data)
    if notice:  # said before sending: the next submit of this same email confirms it
        data.manager_existing_ok = data.manager_email
        return _render(data, 4, notice=notice)
    return _finish(data)


def _finish(data: WizardData):
    try:
        tenant, invitation, link = complete(data, invited_by=current_user.user)
        db.session.flush()
    except TemplateError as exc:
        db.session.rollback()
        errors = problems_by_field(exc, data)
        return _render(data, first_step(errors), errors, 422)
    except IntegrityError:  # another administrator onboarded it a moment ago
        db.session.rollback()
        errors = validate(1, data) or validate(3, data) or {
            "slug": [_("Subdomain ini baru saja dipakai daerah lain.")]}
        return _render(data, first_step(errors), errors, 422)
    flash(_("%(name)s dibuat dengan status Persiapan: hanya petugasnya yang dapat masuk. Undangan untuk "
            "manajer dikirim ke %(email)s. Aktifkan daerah ini bila sudah siap tayang.",
            name=tenant.name, email=invitation.email), "success")
    if not current_app.config.get("MAIL_SMTP_URL"):
        flash(_("Belum ada server email: berikan tautan undangan ini kepada manajer: %(link)s", link=link), "info")
    target = url_for("platform.region", tenant_id=tenant.id)
    return HTMXResponseClientRedirect(target) if htmx else redirect(target)
