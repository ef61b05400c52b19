"""A region's own service areas in the configuration file (`service_areas:`): the import preview
and applying them (`app.org.own_areas.replace_areas`)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.casework.sop_diff import Change
from app.org.vocabulary import SERVICE_AREAS
from app.reference.citations import citation_plain
from app.tenants.template import RegionTemplate

FIELDS = (("label", _l("nama")), ("maps_to", _l("dihitung sebagai")), ("legal_basis", _l("dasar hukum")))


def _show(area: dict, name: str) -> str:
    value = area.get(name) or ""
    if name == "maps_to":
        return str(SERVICE_AREAS.get(value, value))
    return citation_plain(value) if name == "legal_basis" else str(value)


def diff_service_areas(old: RegionTemplate, new: RegionTemplate) -> list[Change]:
    """Own areas added, changed, or taken out of use (left out of the file)."""
    before = {a["key"]: a for a in old.service_areas}
    after = {a["key"]: a for a in new.service_areas}
    changes = []
    for key in [*before, *[k for k in after if k not in before]]:
        a, b = before.get(key), after.get(key)
        subject = _("bidang layanan \u201c%(l)s\u201d", l=(b or a or {}).get("label") or key)
        if b is None:
            changes.append(Change("retired", "service_area", subject))
        elif a is None:
            changes.append(Change("added", "service_area", subject))
        else:
            fields = [(str(label), _show(a, name), _show(b, name)) for name, label in FIELDS
                      if _show(a, name) != _show(b, name)]
            if fields:
                changes.append(Change("changed", "service_area", subject, fields))
    return changes


def area_blockers(tenant, template: RegionTemplate) -> list[str]:
    """Own areas the file leaves out while open cases are about them."""
    from app.org.own_areas import open_cases_about
    from app.org.service_areas import own_areas

    listed = {a["key"] for a in template.service_areas}
    return [_("Bidang layanan \u201c%(l)s\u201d tidak ada di berkas, tetapi %(n)s kasus terbuka masih di bidang itu.",
              l=area.label, n=count)
            for area in own_areas(tenant) if area.key not in listed and (count := open_cases_about(area.key))]


def apply_service_areas(tenant, template: RegionTemplate) -> None:
    """The file's own areas become the region's (the blockers were checked before)."""
    from app.org.own_areas import replace_areas

    replace_areas(tenant, template.service_areas)
