"""What every settings page shares: who may open it, loading the row a URL names, how refused changes reach the form."""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from app.blueprints.settings_org import bp
from app.extensions import db
from app.org.lookups import unit_village_labels
from app.org.operations import ConfigError
from app.permissions import Capability, requires

#: Decorator for every settings route: a member who may configure the region (403 for other staff).
configuring = requires(Capability.CONFIGURE)


@bp.app_template_global("village_label")
def village_label(code: str | None) -> str:
    """`Talang Aman, Kec. Kemuning` for the village of a unit (all looked up in one query per request)."""
    if not code:
        return ""
    labels = g.get("_unit_village_labels")
    if labels is None:
        labels = g._unit_village_labels = unit_village_labels()
    return labels.get(code, code)


@bp.app_template_global("area_level_label")
def area_level_label(level: str | None) -> str:
    """`kecamatan` / `kelurahan/desa` for a post's area level."""
    from app.org.positions import AREA_LEVEL_LABELS

    return str(AREA_LEVEL_LABELS.get(level, "")) if level else ""


def load(model, object_id, *options):
    """One row of the current region by id (tenant scoping makes other regions' ids 404)."""
    return db.one_or_404(select(model).where(model.id == object_id).options(*options))


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
