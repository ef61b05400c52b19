"""Partner portal pages: the referrals addressed to the officer's partner, one referral, its answer."""
from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.auth import partner_required
from app.audit.log import record
from app.blueprints.partner import bp
from app.blueprints.partner.forms import PartnerAnswerForm
from app.casework import partner_portal as portal
from app.citizens.identity import mask_nik
from app.errors import Invalid
from app.reports.letter import letter_facts, letter_pdf
from app.templating import region_url
from app.tenancy.context import tenant_in_context
from app.tenancy.models import utcnow
from app.tenants.letterhead import letterhead_of


@bp.get("/")
@partner_required
def index():
    """The referrals sent to my partner, with how long each has waited and whether it is overdue."""
    if current_user.partner is None:
        abort(403)
    rows = portal.partner_referrals(current_user.partner.partner_id, utcnow())
    return render_template("partner/index.html", rows=rows, hours=portal.response_hours())


def _page(referral, form, status=200):
    return render_template("partner/referral.html", referral=referral, form=form, mask_nik=mask_nik,
                           letter=portal.referral_letter(referral), uploads=portal.partner_uploads(referral)), status


@bp.route("/referrals/<uuid:referral_id>", methods=["GET", "POST"])
@partner_required
def referral(referral_id):
    """One referral, with only what it shares, and the form to answer it."""
    found = portal.partner_referral(referral_id, current_user)
    form = PartnerAnswerForm()
    if request.method == "GET":
        return _page(found, form)
    if not form.validate_on_submit():
        return _page(found, form, 422)
    try:
        portal.record_partner_answer(found, result=form.result.data or "", plan=form.plan.data or "",
                                     due=form.due.data, reply_file=request.files.get("reply"),
                                     actor=current_user, now=utcnow())
    except Invalid as refused:
        for name, messages in refused.errors.items():
            getattr(form, name if name != "file" else "reply").errors = list(messages)
        return _page(found, form, 422)
    flash(_("Jawaban dicatat. Petugas SLRT akan mengonfirmasinya."), "success")
    return redirect(url_for(".referral", referral_id=found.id))


@bp.get("/referrals/<uuid:referral_id>/letter.pdf")
@partner_required
def letter(referral_id):
    """The referral letter of a referral addressed to my partner (checked against the partner, not staff access)."""
    found = portal.partner_referral(referral_id, current_user)
    issued = portal.referral_letter(found)
    if issued is None:
        abort(404)
    region = tenant_in_context()
    verify_url = region_url(region.slug, "public.verify_letter", token=issued.token)
    document = letter_pdf(letter_facts(issued, found.case, region, verify_url), letterhead_of(region))
    record("referral.partner_letter_download", "case", found.case_id, number=issued.number)
    name = "surat-rujukan-" + "".join(c if c.isalnum() else "-" for c in issued.number) + ".pdf"
    return send_file(BytesIO(document), mimetype="application/pdf", as_attachment=False, download_name=name)
