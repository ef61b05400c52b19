"""Partners that referrals go to: list, add, edit, retire, reactivate, delete when unused."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.partner_members import invite_partner_officer, partner_officers
from app.blueprints.partner.forms import OfficerInviteForm
from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.forms import PartnerForm
from app.blueprints.settings_sop.routes_sop import configure
from app.casework import partners as ops
from app.casework.models import Partner, Referral
from app.casework.vocabulary import PartnerLevel
from app.errors import Invalid
from app.extensions import db

FILTERS = {"active": Partner.retired_at.is_(None), "retired": Partner.retired_at.is_not(None), "all": None}


def _load(partner_id) -> Partner:
    found = db.one_or_404(select(Partner).where(Partner.id == partner_id))
    return found


@bp.get("/partners/")
@configure
def partners():
    """The region's partners (active, retired or all), with how many referrals went to each."""
    status = request.args.get("status", "active")
    if status not in FILTERS:
        status = "active"
    query = select(Partner).order_by(Partner.name)
    condition = FILTERS[status]
    if condition is not None:
        query = query.where(condition)
    counts = dict(db.session.execute(select(Referral.partner_id, func.count()).group_by(Referral.partner_id)).all())
    totals = dict(db.session.execute(select(Partner.retired_at.is_(None), func.count())
                                     .group_by(Partner.retired_at.is_(None))).all())
    levels: list[str] = list(PartnerLevel)
    rows = sorted(db.session.scalars(query).all(), key=lambda p: levels.index(p.level) if p.level in levels else 99)
    return render_template("settings_sop/partners.html", partners=rows, status=status,
                           counts=counts, active_total=totals.get(True, 0), retired_total=totals.get(False, 0))


def _values(form: PartnerForm) -> dict:
    return dict(name=" ".join(form.name.data.split()), level=form.level.data, kind=form.kind.data,
                contact=form.contact.data or "", service_areas=list(form.service_areas.data or []))


def _valid(form: PartnerForm, exclude=None) -> bool:
    if not form.validate_on_submit():
        return False
    if ops.name_taken(form.name.data, exclude=exclude):
        form.name.errors = [_("Lembaga dengan nama ini sudah ada di daftar (mungkin nonaktif).")]
        return False
    return True


@bp.route("/partners/new", methods=["GET", "POST"])
@configure
def partner_new():
    """Add a partner."""
    form = PartnerForm()
    if request.method == "POST":
        if not _valid(form):
            return render_template("settings_sop/partner_form.html", form=form, partner=None), 422
        partner = ops.create_partner(**_values(form))
        flash(_("Lembaga \u201c%(n)s\u201d ditambahkan.", n=partner.name), "success")
        return redirect(url_for(".partners"))
    return render_template("settings_sop/partner_form.html", form=form, partner=None)


def _edit_page(partner: Partner, form: PartnerForm, status: int = 200, error: str | None = None,
               invite: OfficerInviteForm | None = None):
    return render_template("settings_sop/partner_form.html", form=form, partner=partner,
                           used=ops.in_use(partner), error=error, invite=invite or OfficerInviteForm(formdata=None),
                           officers=partner_officers(partner.id)), status


def _filled_form(partner: Partner) -> PartnerForm:
    form = PartnerForm(obj=partner, formdata=None)
    form.service_areas.data = [a for a in (partner.service_areas or "").split(",") if a]
    return form


@bp.post("/partners/<uuid:partner_id>/invite")
@configure
def partner_invite(partner_id):
    """Invite an officer of the partner: they answer its referrals in the partner portal, and see nothing else."""
    partner = _load(partner_id)
    invite = OfficerInviteForm()
    if invite.validate_on_submit():
        try:
            _invitation, link = invite_partner_officer(partner, email=invite.email.data, name=invite.name.data,
                                                       invited_by=current_user.id)
        except Invalid as refused:
            for name, messages in refused.errors.items():
                invite[name].errors = list(messages)
        else:
            flash(_("Undangan dikirim ke %(e)s. Tautan undangan: %(l)s", e=invite.email.data, l=link), "success")
            return redirect(url_for(".partner_edit", partner_id=partner.id))
    return _edit_page(partner, _filled_form(partner), 422, invite=invite)


@bp.route("/partners/<uuid:partner_id>", methods=["GET", "POST"])
@configure
def partner_edit(partner_id):
    """Edit a partner's name, level, kind, contact and service areas."""
    partner = _load(partner_id)
    if request.method == "GET":
        form = PartnerForm(obj=partner, formdata=None)
        form.service_areas.data = [a for a in (partner.service_areas or "").split(",") if a]
        return _edit_page(partner, form)
    form = PartnerForm()
    if not _valid(form, exclude=partner.id):
        return _edit_page(partner, form, 422)
    changed = ops.update_partner(partner, **_values(form))
    flash(_("Perubahan disimpan.") if changed else _("Tidak ada yang berubah."), "success" if changed else "info")
    return redirect(url_for(".partners", status="active" if partner.retired_at is None else "retired"))


@bp.post("/partners/<uuid:partner_id>/retire")
@configure
def partner_retire(partner_id):
    """Stop offering the partner for new referrals (old referrals keep it)."""
    partner = _load(partner_id)
    ops.retire_partner(partner)
    flash(_("\u201c%(n)s\u201d dinonaktifkan: tidak lagi ditawarkan untuk rujukan baru.", n=partner.name), "success")
    return redirect(url_for(".partners"))


@bp.post("/partners/<uuid:partner_id>/reactivate")
@configure
def partner_reactivate(partner_id):
    """Offer a retired partner for referrals again."""
    partner = _load(partner_id)
    ops.reactivate_partner(partner)
    flash(_("\u201c%(n)s\u201d diaktifkan kembali.", n=partner.name), "success")
    return redirect(url_for(".partners"))


@bp.post("/partners/<uuid:partner_id>/delete")
@configure
def partner_delete(partner_id):
    """Delete a partner no referral points at; one in use can only be retired (409)."""
    partner = _load(partner_id)
    if ops.in_use(partner):
        form = PartnerForm(obj=partner, formdata=None)
        form.service_areas.data = [a for a in (partner.service_areas or "").split(",") if a]
        return _edit_page(partner, form, 409, _("Lembaga ini sudah dipakai dalam rujukan, jadi tidak dapat dihapus. "
                                                "Nonaktifkan saja: rujukan lama tetap tercatat."))
    name = partner.name
    ops.delete_partner(partner)
    flash(_("\u201c%(n)s\u201d dihapus.", n=name), "success")
    return redirect(url_for(".partners"))
