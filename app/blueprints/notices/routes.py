import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.auth import staff_required
from app.blueprints.notices import bp
from app.extensions import db
from app.notices import operations
from app.notices.vocabulary import NoticeKind


@bp.get("/notices/count")
@staff_required()
def count():
    """The bell's count (a fragment the header polls)."""
    return render_template("notices/_bell_count.html", unread=operations.unread_count(current_user.id))


@bp.get("/notices")
@staff_required()
def index():
    page = operations.notices_page(current_user.id, request.args.get("page", 1, type=int))
    return render_template("notices/index.html", page=page, message=operations.message,
                           unread=operations.unread_count(current_user.id))


@bp.post("/notices/<uuid:notice_id>/read")
@staff_required()
def read(notice_id: uuid.UUID):
    if not operations.is_recipient(current_user.id, notice_id):
        abort(404)
    operations.mark_read(current_user.id, notice_id)
    db.session.commit()
    return redirect(url_for("notices.index"))


@bp.post("/notices/read")
@staff_required()
def read_all():
    operations.mark_read(current_user.id)
    db.session.commit()
    return redirect(url_for("notices.index"))


@bp.route("/notices/preferences", methods=["GET", "POST"])
@staff_required()
def preferences():
    if request.method == "POST":
        operations.set_email_choices(current_user.id, request.form.getlist("email"))
        db.session.commit()
        flash(_("Pilihan pemberitahuan email disimpan."), "success")
        return redirect(url_for("notices.preferences"))
    return render_template("notices/preferences.html", kinds=list(NoticeKind),
                           chosen=operations.email_choices(current_user.id))
