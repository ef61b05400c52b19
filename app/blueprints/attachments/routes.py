"""The "Lampiran" section of a case page, its upload and delete, and the download by signed link."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.accounts.auth import current_membership, staff_required
from app.attachments.models import CITIZEN, Attachment
from app.attachments.operations import (
    attach,
    case_attachments,
    citizen_attachments,
    delete_attachment,
    download,
    download_token,
    token_is_good,
    visible_attachment,
)
from app.blueprints.attachments import bp
from app.blueprints.attachments.forms import AttachmentForm
from app.casework.access import visible_case
from app.casework.models import Case
from app.errors import Invalid
from app.extensions import db, htmx

SECTION = "attachments/_section.html"


def _case(case_id) -> Case:
    """The case if this member may see it; 404 otherwise, as for another region's case."""
    return db.one_or_404(visible_case(current_membership, case_id, selectinload(Case.citizen)))


def _link(attachment: Attachment) -> str:
    return url_for("attachments.download", attachment_id=attachment.id,
                   token=download_token(attachment, current_user.id))


@bp.app_template_global()
def attachment_section(case: Case, form: AttachmentForm | None = None) -> dict:
    """What the section needs: the case's and the citizen's files with fresh links, and the form."""
    files = {"case": case_attachments(case),
             "citizen": citizen_attachments(case.citizen) if case.citizen is not None else []}  # a group: none
    return dict(files=files, links={a.id: _link(a) for group in files.values() for a in group},
                form=form or AttachmentForm(formdata=None), user_id=current_user.id)


def _render(case: Case, form: AttachmentForm | None = None, status: int = 200):
    template = SECTION if htmx else "attachments/case.html"
    return render_template(template, case=case, attachment_form=form), status


@bp.get("/cases/<uuid:case_id>/attachments")
@staff_required()
def case_list(case_id):
    """The files on the case and on its citizen, with the upload form."""
    return _render(_case(case_id))


@bp.post("/cases/<uuid:case_id>/attachments")
@staff_required()
def upload(case_id):
    """Attach one file to the case or its citizen; a refused file is shown at its field (422)."""
    case = _case(case_id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _render(case, form, 422)
    owner = case.citizen if form.owner.data == CITIZEN and case.citizen is not None else case
    try:
        attach(owner, form.file.data, form.kind.data, current_user.user, keep_location=form.keep_location.data)
    except Invalid as refusal:
        for name, messages in refusal.errors.items():
            getattr(form, name, form.file).errors = list(messages)
        return _render(case, form, 422)
    if htmx:
        return _render(case)
    flash(_("Lampiran tersimpan."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="lampiran"))


@bp.post("/cases/<uuid:case_id>/attachments/<uuid:attachment_id>/delete")
@staff_required()
def delete(case_id, attachment_id):
    """Remove a file from the list (the uploader, or a manager); 403 for anyone else."""
    case = _case(case_id)
    attachment = db.one_or_404(visible_attachment(current_membership, attachment_id))
    if attachment.case_id not in (None, case.id) or attachment.citizen_id not in (None, case.citizen_id):
        abort(404)
    delete_attachment(attachment, current_user.user, current_membership)
    if htmx:
        return _render(case)
    flash(_("Lampiran dihapus."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="lampiran"))


@bp.get("/attachments/<uuid:attachment_id>/download", endpoint="download")
@staff_required()
def download_file(attachment_id):
    """The file, for a member who may reach it, through a fresh link made for them; audited."""
    attachment = db.one_or_404(visible_attachment(current_membership, attachment_id))
    if not token_is_good(request.args.get("token", ""), attachment, current_user.id):
        abort(404)
    response = Response(download(attachment), mimetype=attachment.content_type)
    # The stored name is already reduced to [A-Za-z0-9_.-] (files.display_name): nothing to escape.
    response.headers["Content-Disposition"] = f"attachment; filename={attachment.filename}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
