"""What every settings page shares: who may open it, how refused changes reach the form."""
from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy import select

from app.accounts.auth import staff_required
from app.blueprints.settings_org import bp
from app.extensions import db
from app.org.models import OrgUnit
from app.org.operations import ConfigError
from app.org.vocabulary import CONFIGURING_ROLES
from app.reference.models import District, Village

#: Decorator for every settings route: a manager or unit head of this region (403 for other staff).
configuring = staff_required(*CONFIGURING_ROLES)


@bp.app_template_global("can_configure")
def can_configure() -> bool:
    """Whether the logged-in member may open the settings (for the navigation)."""
    return bool(current_user.is_authenticated and getattr(current_user, "role", None) in CONFIGURING_ROLES)


@bp.app_template_global("village_label")
def village_label(code: str | None) -> str:
    """`Talang Aman, Kec. Kemuning` for the village of a unit (all looked up in one query per request)."""
    if not code:
        return ""
    labels = g.get("_unit_village_labels")
    if labels is None:
        rows = db.session.execute(
            select(Village.code, Village.name, District.name).join(District, District.code == Village.district_code)
            .where(Village.code.in_(select(OrgUnit.village_code).where(OrgUnit.village_code.is_not(None))))).all()
        labels = g._unit_village_labels = {c: f"{v}, Kec. {d}" for c, v, d in rows}
    return labels.get(code, code)


@bp.app_template_global("area_level_label")
def area_level_label(level: str | None) -> str:
    """`kecamatan` / `kelurahan/desa` for a post's area level."""
    from app.org.positions import AREA_LEVEL_LABELS

    return str(AREA_LEVEL_LABELS.get(level, "")) if level else ""


def apply_errors(form, exc: ConfigError) -> list[str]:
    """Put an operation's messages on the form's fields; returns those that belong to no field."""
    general = list(exc.errors.get("", []))
    for name, messages in exc.errors.items():
        if not name:
            continue
        if name in form._fields:
            form[name].errors = list(form[name].errors or []) + list(messages)
        else:
            general.extend(messages)
    return general


def refused(exc: ConfigError, form=None) -> list[str]:
    """Roll back whatever a refused operation flushed, then map its messages onto `form`."""
    db.session.rollback()
    return apply_errors(form, exc) if form is not None else list(m for ms in exc.errors.values() for m in ms)
