"""The development mailbox: what the outbox holds for this realm, when no SMTP relay is set.

At a region for those who configure it (they invite staff), at the apex for the national
administrator. Never in production and never when `MAIL_SMTP_URL` is set (mail really goes
out then). Secrets are not stored, so the links are not shown here (the inviter sees an
invitation link once, when it is made).
"""
from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from app.accounts.outbox import MailStatus, failure_reason, mailbox
from app.extensions import login_manager
from app.permissions import Capability, can
from app.tenancy.context import current_tenant, current_tenant_id

bp = Blueprint("dev_mailbox", __name__)


@bp.get("/dev/mailbox")
def index():
    """The messages of this realm, newest first."""
    if current_app.config.get("MAIL_SMTP_URL") or current_app.config.get("SLRT_ENV") == "production":
        abort(404)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    allowed = (can(current_user, Capability.CONFIGURE) if current_tenant
               else current_user.platform_role == "national_admin")
    if not allowed:
        abort(403)
    return render_template("dev_mailbox/index.html", messages=mailbox(current_tenant_id()),
                           statuses=MailStatus, failure_reason=failure_reason)
