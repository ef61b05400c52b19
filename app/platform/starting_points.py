"""Starting points of a new region's template: a blank national structure, a copy of a
live region, or an uploaded file — each turned into the same validated `RegionTemplate`
with the region block the onboarding wizard fills in."""
from __future__ import annotations

import string
import uuid
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.reference.citations import cited_elsewhere
from app.reference.models import Province, Regency
from app.tenancy.models import Tenant
from app.tenants.export import export_region, to_yaml
from app.tenants.template import RegionTemplate, TemplateError, load_yaml, parse_template
from app.tenants.ticket_prefix import default_prefix

STARTING_POINT = Path(__file__).resolve().parent.parent / "tenants" / "starting_points" / "permensos_15_2018.yaml"
PERMENSOS_TITLE = ("Peraturan Menteri Sosial Nomor 15 Tahun 2018 tentang Sistem Layanan dan Rujukan Terpadu "
                   "untuk Penanganan Fakir Miskin dan Orang Tidak Mampu")
PERMENSOS_SHORT = "Permensos 15/2018"


def title_case(name: str) -> str:
    """`JAWA BARAT` → `Jawa Barat`."""
    return " ".join(w.capitalize() for w in name.split())


def regency_facts(code: str) -> tuple[Regency, str] | None:
    row = db.session.execute(select(Regency, Province.name).join(Province, Province.code == Regency.province_code)
                             .where(Regency.code == code)).first()
    """(regency, province name) for a Kemendagri code, or None."""
    return (row[0], title_case(row[1])) if row else None


def source_region(data) -> Tenant | None:
    """The live region whose structure the wizard copies."""
    try:
        return db.session.get(Tenant, uuid.UUID(data.copy_from))
    except (ValueError, TypeError):
        return None


def _values(data) -> dict[str, str]:
    facts = regency_facts(data.region_code)
    regency, province = facts if facts else (None, "")
    return {"code": data.region_code, "slug": data.slug.lower(), "kind": regency.kind if regency else "",
            "region_name": regency.display_name if regency else "", "province_name": province,
            "service_name": data.service_name, "regulation_title": data.regulation_title,
            "regulation_short": data.regulation_short,
            "ticket_prefix": data.ticket_prefix or default_prefix(data.slug.lower())}


def _walk(value: Any, change, keep: tuple[str, ...] = ()) -> Any:
    """Every text changed, except under the keys in `keep`."""
    if isinstance(value, dict):
        return {k: v if k in keep else _walk(v, change, keep) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, change, keep) for v in value]
    return change(value) if isinstance(value, str) else value


def _starting_mapping(data, values: dict[str, str]) -> tuple[dict, str]:
    """(template mapping before the region block is set, source name)."""
    if data.start == "blank":
        mapping = yaml.safe_load(STARTING_POINT.read_text(encoding="utf-8"))
        mapping = _walk(mapping, lambda s: string.Template(s).safe_substitute(values))
        if not data.puskesos:
            mapping = without_welfare_center(mapping)
        return mapping, STARTING_POINT.name
    if data.start == "copy":
        source = source_region(data)
        if source is None:  # checked at step 2; refused the same way if the choice no longer holds
            raise TemplateError("salinan", [_("Pilih daerah yang strukturnya disalin.")])
        mapping = export_region(source)
        facts = regency_facts(source.region_code)
        old_province = facts[1] if facts else ""
        renamed = {source.name: values["region_name"]}
        if old_province and old_province != values["province_name"]:
            renamed[f"Provinsi {old_province}"] = f"Provinsi {values['province_name']}"

        def rename(text: str) -> str:
            for old, new in renamed.items():
                text = text.replace(old, new)
            return text

        # The source's articles are its regulation's: each citation without a regulation now names it.
        mapping = cited_elsewhere(mapping, source.regulation_short)
        # Citations quote the source's regulation as written: the region's new name is not put in them.
        body = {k: _walk(mapping[k], rename, keep=("legal_basis",)) for k in ("units", "positions", "partners")}
        for unit in body["units"]:  # places fixed in the source region don't exist here
            unit.pop("district", None)
            unit.pop("village", None)
        for post in body["positions"]:  # who appoints a post carries over; the source's decrees themselves do not
            if isinstance(post.get("decree"), dict):
                post["decree"] = {"authority": post["decree"]["authority"]}
        # The source's own programs are its region's; the copy starts from the national catalogue.
        mapping.pop("programs", None)
        return {**mapping, **body}, f"salinan:{source.slug}"
    loaded = load_yaml(data.uploaded_text, data.template_name or "unggahan.yaml")
    if not isinstance(loaded, dict):
        raise TemplateError(data.template_name or "unggahan",
                            [_("isi berkas harus berupa pemetaan YAML (kunci: nilai)")])
    return loaded, (data.template_name or "unggahan.yaml")[:200]


def without_welfare_center(mapping: dict) -> dict:
    """The mapping without Puskesos units, their posts, the Puskesos channel and role."""
    units = [u for u in mapping.get("units", []) if u.get("kind") != "welfare_center"]
    kept = {u.get("key") for u in units}
    positions = [p for p in mapping.get("positions", []) if p.get("unit") in kept]
    sop = dict(mapping.get("sop") or {})
    sop["channels"] = [c for c in sop.get("channels", []) if c.get("key") != "welfare_center"]
    for item in sop["channels"] + list(sop.get("transitions", [])):
        if isinstance(item.get("role"), list) and len(item["role"]) > 1:
            item["role"] = [r for r in item["role"] if r != "welfare_center_coordinator"]
    return {**mapping, "units": units, "positions": positions, "sop": sop}


def build_template(data) -> RegionTemplate:
    """The validated template for what the wizard holds (raises TemplateError)."""
    values = _values(data)
    try:
        mapping, source = _starting_mapping(data, values)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("baris %(line)s", line=mark.line + 1) if mark else ""
        raise TemplateError(data.template_name, [_("YAML tidak sah %(where)s: %(err)s", where=where,
                                                   err=getattr(exc, "problem", exc))]) from exc
    region = dict(mapping.get("region") or {}) if data.start == "upload" else {}
    regulation = dict(region.get("regulation") or {}) if isinstance(region.get("regulation"), dict) else {}
    regulation.update(title=values["regulation_title"], short=values["regulation_short"])
    region.update(code=values["code"], slug=values["slug"], name=values["region_name"], kind=values["kind"],
                  service_name=values["service_name"], regulation=regulation, ticket_prefix=values["ticket_prefix"])
    mapping = {**mapping, "region": region}
    if isinstance(mapping.get("sop"), dict) and data.start != "upload":
        mapping["sop"] = {**mapping["sop"], "regulation": values["regulation_short"]}
    return parse_template(to_yaml(mapping), source=source, known_regions={values["code"]: True})
