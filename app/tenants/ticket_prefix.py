"""The region's ticket prefix: what its ticket numbers start with (`BEKASI-2026-000123`).

Each region has its own (`tenants.ticket_prefix`, unique among regions): 2 to 12 capital letters
and digits. The default comes from the region's subdomain (`derived_prefix`):

- the subdomain's words (split at hyphens), upper-cased and joined: `bekasi` → `BEKASI`,
  `kab-bekasi` → `KABBEKASI`, `batubara` → `BATUBARA`;
- when that is longer than 12, the initials of every word but the last, then the last word:
  `tanjung-jabung-barat` → `TJBARAT`; a single word longer than 12 is cut at 12;
- when another region already uses it, a number is appended (`BEKASI2`, shortened to fit).

It is readable (the region's own name), stable (stored once; renaming the subdomain later keeps
it) and unique. The national administrator may choose another in the onboarding wizard, a template
may set it (`region.ticket_prefix`), and the region's manager may change it on the settings page.
A change affects only new tickets: issued ones keep their number, and the counter per region and
year goes on, so a new number never repeats an old one (`casework.intake.next_ticket`).
"""
from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.log import record
from app.errors import Invalid
from app.extensions import db
from app.tenancy.context import current_tenant_or_none
from app.tenancy.models import Tenant

PREFIX_RE = re.compile(r"^[A-Z0-9]{2,12}$")
MAX_LENGTH = 12


def derived_prefix(slug: str) -> str:
    """The prefix the rule above gives for a subdomain (not yet made unique)."""
    words = [w for w in re.split(r"[^a-z0-9]+", (slug or "").lower()) if w]
    joined = "".join(words).upper()
    if len(joined) > MAX_LENGTH and len(words) > 1:
        joined = ("".join(w[0] for w in words[:-1]) + words[-1]).upper()
    joined = joined[:MAX_LENGTH]
    return joined if len(joined) >= 2 else (joined + "SLRT")[:MAX_LENGTH]


def holder_of(prefix: str, except_id: uuid.UUID | None = None) -> Tenant | None:
    """The region (other than `except_id`) whose tickets start with `prefix`, if any."""
    query = select(Tenant).where(Tenant.ticket_prefix == prefix)
    if except_id is not None:
        query = query.where(Tenant.id != except_id)
    return db.session.scalars(query).first()


def default_prefix(slug: str) -> str:
    """The derived prefix, with a number appended when another region already has it."""
    base = candidate = derived_prefix(slug)
    n = 1
    while holder_of(candidate) is not None:
        n += 1
        candidate = base[:MAX_LENGTH - len(str(n))] + str(n)
    return candidate


def normalised(prefix: str | None) -> str:
    """What a person typed, as stored: trimmed, upper case."""
    return (prefix or "").strip().upper()


def format_problem(prefix: str) -> str | None:
    """Why `prefix` (normalised) cannot be a ticket prefix by its form, or None."""
    if not prefix:
        return _("Awalan nomor tiket wajib diisi.")
    if not PREFIX_RE.match(prefix):
        return _("Awalan nomor tiket 2\u201312 karakter, hanya huruf A\u2013Z dan angka, tanpa spasi atau tanda "
                 "hubung (misalnya BEKASI).")
    return None


def prefix_problem(prefix: str, except_id: uuid.UUID | None = None) -> str | None:
    """Why `prefix` (normalised) cannot be this region's: its form, or another region has it."""
    problem = format_problem(prefix)
    if problem:
        return problem
    other = holder_of(prefix, except_id)
    if other is not None:
        return _("Awalan %(p)s sudah dipakai %(name)s; pilih awalan lain.", p=prefix, name=other.name)
    return None


def set_ticket_prefix(tenant: Tenant, prefix: str) -> bool:
    """Change the region's ticket prefix (new tickets only); returns whether it changed.

    Raises `Invalid` with the message at `ticket_prefix`. Audited as `config.ticket.prefix`.
    """
    prefix = normalised(prefix)
    problem = prefix_problem(prefix, tenant.id)
    if problem:
        raise Invalid(errors={"ticket_prefix": [problem]})
    before = tenant.ticket_prefix
    if before == prefix:
        return False
    try:
        with db.session.begin_nested():  # another region may have taken it a moment ago (the unique index says)
            tenant.ticket_prefix = prefix
    except IntegrityError:
        raise Invalid(errors={"ticket_prefix": [_("Awalan %(p)s baru saja dipakai daerah lain; pilih awalan lain.",
                                                  p=prefix)]}) from None
    record("config.ticket.prefix", "tenant", tenant.id, before={"ticket_prefix": before},
           after={"ticket_prefix": prefix})
    return True


def example_ticket(prefix: str | None = None, number: int = 123) -> str:
    """How a ticket looks this year (a placeholder, a hint): with `prefix`, else the current region's."""
    if prefix is None:
        tenant = current_tenant_or_none()
        prefix = tenant.ticket_prefix if tenant is not None else "SLRT"
    return f"{prefix}-{datetime.now(UTC).year}-{number:06d}"
