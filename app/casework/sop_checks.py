"""What an SOP needs of the org chart beyond its roles: channels a post can use, places someone covers.

* **channels** — every intake channel needs at least one post in service that may record
  through it (`intake_access.post_channels`: a post whose role the channel names, and for
  the Puskesos channel a Puskesos post). Otherwise publishing is refused, naming the channel
  by its label and the posts by the region's own titles.
* **vacancies** — a channel whose posts nobody holds yet: a warning, not a refusal.
* **coverage** — where a step (or a channel) can be taken only by posts whose holders work
  per area, the districts / villages no active holder covers (`app.org.coverage`): a warning.

The same checks serve the manager's draft (`sop_drafts`), a region template or import
(`app.tenants.template`, with the file's posts), the console's activation checklist
(`app.platform.readiness`) and the org chart and staff pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Membership, User
from app.casework.intake_access import WELFARE_CENTER, is_welfare_center_post, post_channels
from app.casework.sop import Channel, Sop
from app.casework.sop_diff import CHANNEL_LABELS
from app.casework.sop_procedure import role_titles
from app.extensions import db
from app.org.coverage import DISTRICT, VILLAGE, Gap, Layer, gaps
from app.org.models import OrgUnit, Position


@dataclass(frozen=True)
class Post:
    """A post as the checks see it: from the database (`posts_in_service`) or a template file."""

    id: Any                      # the position's id (database) or key (template)
    title: str
    role: str
    at_welfare_center: bool
    area_level: str | None = None
    holders: int = 0             # active members holding it


def posts_in_service() -> list[Post]:
    """The region's posts in units in service, with how many active members hold each (one query)."""
    held = (select(Membership.position_id, func.count().label("n")).join(User, User.id == Membership.user_id)
            .where(Membership.active.is_(True), User.active.is_(True))
            .group_by(Membership.position_id).subquery())
    rows = db.session.execute(
        select(Position.id, Position.title, Position.role, Position.area_level, OrgUnit.kind,
               func.coalesce(held.c.n, 0))
        .join(OrgUnit, OrgUnit.id == Position.unit_id)
        .outerjoin(held, held.c.position_id == Position.id)
        .where(Position.retired_at.is_(None), OrgUnit.retired_at.is_(None))
        .order_by(OrgUnit.sort_order, Position.sort_order)).all()
    return [Post(pid, title, role, is_welfare_center_post(role, kind), level, n)
            for pid, title, role, level, kind, n in rows]


def template_posts(units, positions) -> list[Post]:
    """The posts a region template declares (`UnitSpec`s and `PositionSpec`s)."""
    kinds = {u.key: u.kind for u in units}
    return [Post(p.key, p.title, p.role, is_welfare_center_post(p.role, kinds.get(p.unit, "")), p.area)
            for p in positions]


def titles_of(posts: list[Post]) -> dict[str, list[str]]:
    """The posts' titles by role (what `role_titles` reads)."""
    out: dict[str, list[str]] = {}
    for post in posts:
        if post.title not in out.setdefault(post.role, []):
            out[post.role].append(post.title)
    return out


def _titles(posts: list[Post]) -> str:
    return " / ".join(dict.fromkeys(p.title for p in posts))


def channel_label(channel: Channel) -> str:
    """The channel's own label, else the built-in name of its kind."""
    if channel.label and channel.label != channel.key:
        return channel.label
    return str(CHANNEL_LABELS.get(channel.key, channel.key))


def channel_users(sop: Sop, posts: list[Post]) -> dict[str, list[Post]]:
    """Channel key → the posts that may record through it."""
    out: dict[str, list[Post]] = {key: [] for key in sop.channels}
    for post in posts:
        for channel in post_channels(sop, post.role, post.at_welfare_center):
            out[channel.key].append(post)
    return out


def channel_problems(sop: Sop, posts: list[Post], entry: str = "sop") -> list[str]:
    """A problem (`<entry>.channels (<key>): …`) for every channel no post can use; publishing is refused."""
    users = channel_users(sop, posts)
    titles = titles_of(posts)
    problems = []
    for channel in sop.channels.values():
        if users[channel.key]:
            continue
        with_role = [p for p in posts if p.role in channel.roles]
        if not with_role:
            why = _("tidak ada jabatan %(who)s", who=role_titles(list(channel.roles), titles))
        elif channel.national == WELFARE_CENTER:
            why = _("jalur Puskesos hanya dapat dipakai jabatan di unit Puskesos atau Koordinator Puskesos, "
                    "sedangkan %(who)s tidak berada di unit Puskesos. Buka Puskesos di struktur organisasi, "
                    "atau nonaktifkan jalur ini", who=_titles(with_role))
        else:
            why = _("%(who)s bekerja di Puskesos dan mencatat pengaduan lewat jalur Puskesos", who=_titles(with_role))
        problems.append(f"{entry}.channels ({channel.key}): " + _(
            "Jalur \u201c%(c)s\u201d tidak dapat dipakai oleh jabatan mana pun: %(why)s.",
            c=channel_label(channel), why=why))
    return problems


def channel_vacancies(sop: Sop, posts: list[Post]) -> list[str]:
    """A warning for every channel whose posts nobody holds yet (the channel exists, nobody can use it today)."""
    warnings = []
    for key, users in channel_users(sop, posts).items():
        if users and not any(p.holders for p in users):
            warnings.append(_("Jalur \u201c%(c)s\u201d hanya dapat dipakai oleh %(who)s, yang belum ada pemegangnya.",
                              c=channel_label(sop.channels[key]), who=_titles(users)))
    return warnings


def _layer(chosen: list[Post], who: str, channel: str = "") -> Layer | None:
    """A layer when every post chosen works per area (one region-wide post covers everything)."""
    if not chosen or any(p.area_level not in (DISTRICT, VILLAGE) for p in chosen):
        return None
    level = VILLAGE if any(p.area_level == VILLAGE for p in chosen) else DISTRICT
    return Layer(who=who, level=level, position_ids=frozenset(p.id for p in chosen), channel=channel)


def coverage_layers(sop: Sop, posts: list[Post]) -> list[Layer]:
    """The steps and channels the SOP leaves to posts working per area, once per set of posts."""
    titles = titles_of(posts)
    found: list[Layer | None] = []
    for step in sop.transitions:
        chosen = [p for p in posts if p.role in step.roles]
        found.append(_layer(chosen, role_titles([r for r in step.roles if r in titles], titles)))
    for key, users in channel_users(sop, posts).items():
        label = channel_label(sop.channels[key])
        found.append(_layer(users, _("petugas jalur \u201c%(c)s\u201d", c=label), channel=label))
    layers: dict[tuple, Layer] = {}
    for layer in found:
        if layer is not None:
            layers.setdefault((layer.level, layer.position_ids), layer)
    return list(layers.values())


def coverage(sop: Sop, posts: list[Post] | None = None, district_code: str | None = None) -> list[Gap]:
    """The places of the region in context that nobody covers for `sop` (empty gaps left out)."""
    posts = posts_in_service() if posts is None else posts
    return gaps(coverage_layers(sop, posts), district_code)


def current_coverage(district_code: str | None = None) -> list[Gap]:
    """`coverage` of the SOP in force (nothing while the region has none)."""
    from app.casework.sop_store import current_version

    try:
        sop = current_version().sop
    except LookupError:
        return []
    return coverage(sop, district_code=district_code)


def publish_warnings(sop: Sop) -> list[str]:
    """What publishing `sop` goes ahead with but warns about: channels nobody holds, places nobody covers."""
    posts = posts_in_service()
    return channel_vacancies(sop, posts) + [g.summary() for g in coverage(sop, posts)]
