"""What an uploaded template carries into a new region, said before anything is created.

A file exported from another region keeps that region's block (code, name, regulation) and
its names (service name, units, terms): the wizard says whose file it is and lists the names
it brings, marking those that name the other region, so they are reviewed, not inherited.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.platform.starting_points import regency_facts
from app.tenants.template import TemplateError, load_yaml


@dataclass
class UploadReview:
    other_code: str             # the region block's code, when it is not the chosen region ("" otherwise)
    other_name: str             # that region's name (from the block, or the official list)
    service_name: str
    service_full_name: str
    regulation_title: str
    units: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    @property
    def is_other_region(self) -> bool:
        return bool(self.other_code)

    def names_other(self, text: str) -> bool:
        """Whether `text` names the other region (so it is marked for review)."""
        if not self.other_name:
            return False
        bare = self.other_name.split(" ", 1)[-1] if self.other_name.lower().startswith(("kota ", "kabupaten ")) \
            else self.other_name
        return bare.lower() in text.lower()


def review_upload(data) -> UploadReview | None:
    """The review of the wizard's uploaded file, or None (no upload, or not readable as a mapping)."""
    if data.start != "upload" or not data.template_b64:
        return None
    try:
        loaded = load_yaml(data.uploaded_text, data.template_name or "unggahan.yaml")
    except TemplateError:
        return None
    if not isinstance(loaded, dict):
        return None
    region: dict = loaded["region"] if isinstance(loaded.get("region"), dict) else {}
    code = str(region.get("code") or "")
    name = str(region.get("name") or "")
    if code and not name:
        facts = regency_facts(code)
        name = facts[0].display_name if facts else ""
    regulation: dict = region["regulation"] if isinstance(region.get("regulation"), dict) else {}
    terms: dict = region["terminology"] if isinstance(region.get("terminology"), dict) else {}
    units = [str(u.get("name")) for u in loaded.get("units") or [] if isinstance(u, dict) and u.get("name")]
    other = code if code and code != data.region_code else ""
    return UploadReview(other_code=other, other_name=name if other else "",
                        service_name=str(region.get("service_name") or ""),
                        service_full_name=str(region.get("service_full_name") or ""),
                        regulation_title=str(regulation.get("title") or ""), units=units,
                        terms=[str(v) for v in terms.values() if isinstance(v, str)])
