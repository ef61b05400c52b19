"""Which districts and villages nobody covers, for posts whose holders work per area.

A *layer* is a set of posts whose holders work per district or per village (supervisors,
facilitators, Puskesos officers…) and who together take some step or channel of the SOP
(`app.casework.sop_checks` builds the layers from the SOP). A place is covered when an
active holder of one of those posts works there, as `app.casework.steps.covers` reads
areas: a district area covers the district and all its villages, a village area that
village, and a holder with no area at all the whole region.

Computed for one region at a time in a fixed number of queries (one for the region's
districts and village counts, then one or two per layer), whatever its size.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Membership, MembershipArea, User
from app.extensions import db
from app.org.vocabulary import AreaLevel
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context

DISTRICT, VILLAGE = AreaLevel.DISTRICT.value, AreaLevel.VILLAGE.value
#: How many uncovered places a one-line summary names (the rest are counted).
NAMED = 5


@dataclass(frozen=True)
class Layer:
    """Posts whose holders together take something the SOP sends by area."""

    who: str                      # the posts' titles, or the channel's label
    level: str                    # district | village
    position_ids: frozenset
    channel: str = ""             # the channel's label when the layer is a channel's posts


@dataclass
class DistrictGap:
    """One district: uncovered itself (district level), or the villages in it nobody covers."""

    code: str
    name: str
    villages_total: int = 0
    villages: list[tuple[str, str]] = field(default_factory=list)  # (code, name), by name


@dataclass
class Gap:
    """The places of the region that no active holder of a layer's posts covers."""

    layer: Layer
    total: int                    # districts (district level) or villages (village level) in the region
    nobody: bool                  # the posts have no active holder at all
    districts: list[DistrictGap]  # uncovered districts, or districts with uncovered villages, by name

    @property
    def level(self) -> str:
        return self.layer.level

    @property
    def count(self) -> int:
        if self.level == DISTRICT:
            return len(self.districts)
        return sum(len(d.villages) for d in self.districts)

    def names(self) -> list[str]:
        """The uncovered places' names, by district then name."""
        if self.level == DISTRICT:
            return [d.name for d in self.districts]
        return [name for d in self.districts for _code, name in d.villages]

    def summary(self, named: int = NAMED) -> str:
        """`3 kecamatan tanpa Supervisor: A, B, C.` — the count and the first few names."""
        names = self.names()
        shown = ", ".join(names[:named])
        if len(names) > named:
            shown = _("%(shown)s dan %(n)s lainnya", shown=shown, n=len(names) - named)
        if self.level == DISTRICT:
            return _("%(n)s dari %(total)s kecamatan tanpa %(who)s: %(names)s.", n=self.count, total=self.total,
                     who=self.layer.who, names=shown)
        return _("%(n)s dari %(total)s kelurahan/desa tanpa %(who)s: %(names)s.", n=self.count, total=self.total,
                 who=self.layer.who, names=shown)


class RegionPlaces:
    """The districts of the region in context and how many villages each has (one query)."""

    def __init__(self, district_code: str | None = None) -> None:
        query = (select(District.code, District.name, func.count(Village.code))
                 .outerjoin(Village, Village.district_code == District.code)
                 .where(District.regency_code == tenant_in_context().region_code)
                 .group_by(District.code, District.name).order_by(District.name))
        if district_code is not None:
            query = query.where(District.code == district_code)
        self.districts = {code: (name, villages) for code, name, villages in db.session.execute(query)}
        self.only = district_code

    @property
    def village_total(self) -> int:
        return sum(villages for _name, villages in self.districts.values())


def _holders(position_ids: Collection):
    """Active members holding one of the posts (the post itself is in service: the layer says so)."""
    return (select(Membership.id).join(User, User.id == Membership.user_id)
            .where(Membership.position_id.in_(list(position_ids)), Membership.active.is_(True),
                   User.active.is_(True)))


def gap(layer: Layer, places: RegionPlaces) -> Gap:
    """The places of `places` that no active holder of the layer's posts covers."""
    holders = _holders(layer.position_ids).subquery()
    has_area = select(MembershipArea.id).where(MembershipArea.membership_id == holders.c.id).exists()
    count, region_wide = db.session.execute(
        select(func.count(holders.c.id), func.count(holders.c.id).filter(~has_area))).one()
    total = len(places.districts) if layer.level == DISTRICT else places.village_total
    if region_wide:
        return Gap(layer, total, False, [])
    in_district = select(MembershipArea.district_code).where(
        MembershipArea.membership_id.in_(select(holders.c.id)), MembershipArea.village_code.is_(None))
    codes = list(places.districts)
    if layer.level == DISTRICT:
        missing = db.session.scalars(select(District.code).where(District.code.in_(codes),
                                                                 District.code.not_in(in_district))).all()
        gaps = [DistrictGap(code, *places.districts[code]) for code in sorted(
            missing, key=lambda c: places.districts[c][0])]
        return Gap(layer, total, not count, gaps)
    in_village = select(MembershipArea.village_code).where(
        MembershipArea.membership_id.in_(select(holders.c.id)), MembershipArea.village_code.is_not(None))
    rows = db.session.execute(
        select(Village.district_code, Village.code, Village.name)
        .where(Village.district_code.in_(codes), Village.district_code.not_in(in_district),
               Village.code.not_in(in_village))
        .order_by(Village.name)).all()
    by_district: dict[str, DistrictGap] = {}
    for district, code, name in rows:
        if district not in by_district:
            by_district[district] = DistrictGap(district, places.districts[district][0],
                                                places.districts[district][1])
        by_district[district].villages.append((code, name))
    ordered = sorted(by_district.values(), key=lambda d: d.name)
    return Gap(layer, total, not count, ordered)


def gaps(layers: list[Layer], district_code: str | None = None) -> list[Gap]:
    """Every layer's gap in the region in context (or in one of its districts), empty ones left out."""
    if not layers:
        return []
    places = RegionPlaces(district_code)
    found = [gap(layer, places) for layer in layers]
    return [g for g in found if g.count]
