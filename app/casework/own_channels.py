"""Edits to a draft SOP's channels of the region's own (`app.casework.channels`): add one, change
it (name, the built-in channel it counts as, entry stage, who records, legal basis), take it out.

Like `sop_edits`, each function takes a definition and returns a changed deep copy; bad input
raises `EditError` with messages per form field. Taking a channel out is refused while open
cases came in through it (the reason says how many): the manager sees what still depends on it.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.casework.channels import CHANNELS, OWN_CHANNEL_KEY
from app.casework.sop_edits import EditError, roles_of
from app.extensions import db
from app.org.vocabulary import ROLES


def own_channel_items(definition: dict) -> list[dict]:
    """The draft's channels that are the region's own, in its order."""
    return [c for c in definition.get("channels") or [] if isinstance(c, dict) and c.get("key") not in CHANNELS]


def open_cases_through(key: str) -> int:
    """How many open cases of the current region came in through channel `key`."""
    from app.casework.models import Case

    return db.session.scalar(select(func.count()).select_from(Case)
                             .where(Case.channel == key, Case.closed_at.is_(None))) or 0


def _item(definition: dict, *, key: str, label: str, maps_to: str, entry: str, roles: Iterable[str],
          legal_basis: str) -> dict:
    errors: dict[str, list[str]] = {}
    stages = {s.get("key"): s for s in definition.get("states") or [] if isinstance(s, dict)}
    if entry not in stages or stages[entry].get("final"):
        errors["entry"] = [_("Pilih tahap awal dari daftar.")]
    if not label.strip():
        errors["label"] = [_("Nama jalur wajib diisi.")]
    if maps_to not in CHANNELS:
        errors["maps_to"] = [_("Pilih jalur bawaan tempat jalur ini dihitung dalam angka nasional.")]
    if not legal_basis.strip():
        errors["legal_basis"] = [_("Dasar hukum wajib diisi.")]
    chosen = [r for r in ROLES if r in set(roles)]
    if not chosen:
        errors["roles"] = [_("Pilih minimal satu peran.")]
    if errors:
        raise EditError(errors)
    return {"key": key, "label": label.strip(), "maps_to": maps_to, "entry": entry,
            "role": chosen[0] if len(chosen) == 1 else chosen, "legal_basis": legal_basis.strip()}


def add_own_channel(definition: dict, *, key: str, label: str, maps_to: str, entry: str, roles: Iterable[str],
                    legal_basis: str) -> dict:
    """Open a channel of the region's own (after the channels already open)."""
    key = key.strip()
    taken = {str(c.get("key")) for c in definition.get("channels") or [] if isinstance(c, dict)}
    if key in CHANNELS:
        raise EditError({"key": [_("Kunci \u201c%(k)s\u201d sudah dipakai jalur bawaan; pilih kunci lain.", k=key)]})
    if not OWN_CHANNEL_KEY.match(key):
        raise EditError({"key": [_("Kunci hanya huruf kecil, angka dan garis bawah, paling banyak 20.")]})
    if key in taken:
        raise EditError({"key": [_("Sudah ada jalur dengan kunci \u201c%(k)s\u201d.", k=key)]})
    item = _item(definition, key=key, label=label, maps_to=maps_to, entry=entry, roles=roles,
                 legal_basis=legal_basis)
    out = copy.deepcopy(definition)
    out.setdefault("channels", []).append(item)
    return out


def set_own_channel(definition: dict, key: str, *, label: str, maps_to: str, entry: str, roles: Iterable[str],
                    legal_basis: str) -> dict:
    """Change a channel of the region's own: its name, mapping, entry stage, who records, legal basis."""
    out = copy.deepcopy(definition)
    existing = next((c for c in own_channel_items(out) if c.get("key") == key), None)
    if existing is None:
        raise EditError({"": [_("Jalur \u201c%(k)s\u201d bukan jalur milik daerah di draf ini.", k=key)]})
    item = _item(out, key=key, label=label, maps_to=maps_to, entry=entry, roles=roles, legal_basis=legal_basis)
    existing.clear()
    existing.update(item)
    return out


def remove_own_channel(definition: dict, key: str) -> dict:
    """Take a channel of the region's own out of the draft; refused while open cases came in through it."""
    if key in CHANNELS:
        raise EditError({"": [_("Jalur bawaan ditutup lewat formulirnya sendiri, tidak dihapus.")]})
    out = copy.deepcopy(definition)
    item = next((c for c in own_channel_items(out) if c.get("key") == key), None)
    if item is None:
        raise EditError({"": [_("Jalur \u201c%(k)s\u201d bukan jalur milik daerah di draf ini.", k=key)]})
    count = open_cases_through(key)
    if count:
        raise EditError({"": [_("Jalur \u201c%(l)s\u201d tidak dapat dihapus: %(n)s kasus terbuka masuk melalui jalur "
                                "ini. Selesaikan kasusnya dulu.", l=item.get("label") or key, n=count)]})
    out["channels"] = [c for c in out["channels"] if c is not item]
    return out


def form_data(item: dict) -> dict:
    """An own channel as a form's data."""
    return {"label": item.get("label") or "", "maps_to": item.get("maps_to") or "", "entry": item.get("entry"),
            "roles": list(roles_of(item)), "legal_basis": item.get("legal_basis") or ""}
