"""What changed between two SOP definitions, as a list a person can read.

Not a text diff: stages, steps, channels and routing are compared by key, and each
changed field is named and shown before → after in the region's own labels, roles by the
titles of the region's own posts ("Kepala UPT") when those are given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.casework.channels import CHANNEL_LABELS  # the built-in channels' names (others import them here)
from app.casework.sop_edits import roles_of
from app.casework.step_kinds import KIND_LABELS
from app.org.service_areas import area_label
from app.org.vocabulary import ROLES, SERVICE_AREAS
from app.reference.citations import citation_plain


@dataclass
class Change:
    """One added, removed or changed thing; `fields` are (what, before, after)."""

    action: str          # added | removed | changed | retired
    section: str         # stage | step | channel | routing | regulation | unit | position | partner | region
    subject: str         # what a person calls it
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        """The action in words (Ditambah, Dihapus…)."""
        return {"added": _("Ditambah"), "removed": _("Dihapus"), "changed": _("Diubah"),
                "retired": _("Dinonaktifkan")}[self.action]

    def __str__(self) -> str:
        parts = [f"{f}: {b or '—'} → {a or '—'}" for f, b, a in self.fields]
        return f"{self.action_label} {self.subject}" + (f" ({'; '.join(parts)})" if parts else "")


def role_names(roles, titles: dict[str, list[str]] | None = None) -> str:
    """Who holds `roles`, in the order given: the region's post titles for a role (from `titles`,
    role → titles), else the role's label."""
    names: list[str] = []
    for role in roles:
        for name in (titles or {}).get(role) or [str(ROLES.get(role, role))]:
            if name not in names:
                names.append(name)
    return ", ".join(names)


def hours(value: Any) -> str:
    """`48 jam`, or empty for no SLA."""
    return _("%(h)s jam", h=value) if value else ""


def _by_key(items) -> dict[str, dict]:
    return {str(i.get("key")): i for i in items or [] if isinstance(i, dict)}


def _labels(old: dict, new: dict) -> dict[str, str]:
    labels = {k: str(s.get("label") or k) for k, s in _by_key(old.get("states")).items()}
    labels.update({k: str(s.get("label") or k) for k, s in _by_key(new.get("states")).items()})
    return labels


def _compare(old: dict | None, new: dict | None, fields: list[tuple[str, Any]]) -> list[tuple[str, str, str]]:
    out = []
    for label, show in fields:
        before, after = show(old) if old is not None else "", show(new) if new is not None else ""
        if before != after:
            out.append((str(label), before, after))
    return out


def _keyed(old: dict, new: dict, section: str, name, fields) -> list[Change]:
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        action = "added" if a is None else "removed" if b is None else "changed"
        diffs = _compare(a, b, fields) if action == "changed" else []
        if action != "changed" or diffs:
            changes.append(Change(action, section, name(b or a), diffs))
    return changes


def diff_sop(old: dict, new: dict, unit_names: dict[str, str] | None = None,
             role_titles: dict[str, list[str]] | None = None) -> list[Change]:
    """Stages, steps, channels, routing and regulation that differ from `old` to `new`.

    `unit_names` maps back-office unit keys to names for the routing lines; `role_titles`
    maps roles to the region's post titles, so "who takes it" reads as the region says it.
    """
    units = unit_names or {}

    def who(item: dict) -> str:
        return role_names(roles_of(item), role_titles)

    stage = _labels(old, new)
    changes: list[Change] = []
    if (old.get("regulation") or "") != (new.get("regulation") or ""):
        changes.append(Change("changed", "regulation", _("peraturan yang dilaksanakan"),
                              [(_("peraturan"), str(old.get("regulation") or ""), str(new.get("regulation") or ""))]))
    changes += _keyed(_by_key(old.get("states")), _by_key(new.get("states")), "stage",
                      lambda s: _("tahap \u201c%(l)s\u201d", l=s.get("label") or s.get("key")), [
                          (_l("nama"), lambda s: str(s.get("label") or "")),
                          (_l("batas waktu"), lambda s: hours(s.get("sla_hours"))),
                          (_l("dasar hukum"), lambda s: citation_plain(s.get("legal_basis"))),
                          (_l("tahap akhir"), lambda s: _("ya") if s.get("final") else ""),
                      ])
    changes += _keyed(_by_key(old.get("transitions")), _by_key(new.get("transitions")), "step",
                      lambda t: _("langkah \u201c%(l)s\u201d", l=t.get("label") or t.get("key")), [
                          (_l("nama"), lambda t: str(t.get("label") or "")),
                          (_l("dari tahap"), lambda t: stage.get(str(t.get("from")), str(t.get("from")))),
                          (_l("ke tahap"), lambda t: stage.get(str(t.get("to")), str(t.get("to")))),
                          (_l("yang mengambil"), who),
                          (_l("jenis"), lambda t: str(KIND_LABELS.get(t.get("kind") or "forward", t.get("kind")))),
                          (_l("catatan"), lambda t: str(t.get("note") or "")),
                          (_l("dasar hukum"), lambda t: citation_plain(t.get("legal_basis"))),
                      ])
    changes += _keyed(_by_key(old.get("channels")), _by_key(new.get("channels")), "channel",
                      lambda c: _("jalur masuk \u201c%(l)s\u201d",
                                  l=CHANNEL_LABELS.get(c.get("key")) or c.get("label") or c.get("key")), [
                          (_l("nama"), lambda c: str(c.get("label") or "")),
                          (_l("dihitung sebagai"), lambda c: str(CHANNEL_LABELS.get(c.get("maps_to"), ""))),
                          (_l("tahap awal"), lambda c: stage.get(str(c.get("entry")), str(c.get("entry")))),
                          (_l("yang mencatat"), who),
                          (_l("dasar hukum"), lambda c: citation_plain(c.get("legal_basis"))),
                      ])
    changes += _order_changes(old, new, stage)
    old_routing, new_routing = old.get("routing") or {}, new.get("routing") or {}
    for area in list(SERVICE_AREAS) + [a for a in {**old_routing, **new_routing} if a not in SERVICE_AREAS]:
        before, after = str(old_routing.get(area) or ""), str(new_routing.get(area) or "")
        if before != after:
            changes.append(Change("changed", "routing", _("pembagian bidang \u201c%(a)s\u201d",
                                                          a=area_label(area)),
                                  [(_("unit back office"), units.get(before, before), units.get(after, after))]))
    return changes


def _order(items, keys) -> list[str]:
    """The keys of `items` that are in `keys`, in the items' order."""
    return [str(i.get("key")) for i in items or [] if isinstance(i, dict) and str(i.get("key")) in keys]


def _order_changes(old: dict, new: dict, stage: dict[str, str]) -> list[Change]:
    """Stages, or the steps from one stage, that kept their keys but changed their order."""
    changes = []
    common = set(_by_key(old.get("states"))) & set(_by_key(new.get("states")))
    before, after = _order(old.get("states"), common), _order(new.get("states"), common)
    if before != after:
        changes.append(Change("changed", "stage", _("urutan tahap"), [
            (_("urutan"), ", ".join(stage.get(k, k) for k in before), ", ".join(stage.get(k, k) for k in after))]))
    old_steps, new_steps = _by_key(old.get("transitions")), _by_key(new.get("transitions"))
    for source in [str(s.get("key")) for s in new.get("states") or [] if isinstance(s, dict)]:
        same = {k for k in set(old_steps) & set(new_steps)
                if old_steps[k].get("from") == source and new_steps[k].get("from") == source}
        before, after = _order(old.get("transitions"), same), _order(new.get("transitions"), same)
        if before != after:
            label = {k: str(new_steps[k].get("label") or k) for k in same}
            changes.append(Change("changed", "step", _("urutan langkah dari tahap \u201c%(l)s\u201d",
                                                       l=stage.get(source, source)),
                                  [(_("urutan"), ", ".join(label[k] for k in before),
                                    ", ".join(label[k] for k in after))]))
    return changes
