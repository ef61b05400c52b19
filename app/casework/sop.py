"""The SOP as data: states, transitions, who may take each, what each needs.

A region's SOP is a mapping (from its template, later edited in the browser) that
`parse_sop` turns into an `Sop`. The code knows only transition *kinds* (the registry in
`step_kinds`) — what a step collects and what it does (record a referral, inform the
citizen…); which states exist, who takes which step, who approves, SLAs and legal bases
are all data. No region's rule is an `if` in the code.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from app.casework.channels import CHANNELS, own_channel_problems
from app.casework.step_kinds import REGISTRY, StepKind
from app.errors import Invalid
from app.org.service_areas import OWN_KEY
from app.org.vocabulary import ROLES, SERVICE_AREAS

NOTE_RULES = ("required", "optional", "none")


class SopError(Invalid):
    """An SOP definition was refused; `problems` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(errors={"": problems})


@dataclass(frozen=True)
class State:
    key: str
    label: str
    sla_hours: int | None = None
    legal_basis: str = ""
    final: bool = False


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    source: str
    target: str
    roles: tuple[str, ...]
    kind: str = "forward"
    note: str = "optional"
    legal_basis: str = ""

    @property
    def step_kind(self) -> StepKind:
        """What this step's kind collects, does, renders and counts (from the registry)."""
        return REGISTRY[self.kind]

    @property
    def needs_partner(self) -> bool:
        return "partner_id" in self.step_kind.fields

    @property
    def needs_outcome(self) -> bool:
        return "outcome" in self.step_kind.fields

    @property
    def needs_inform_channel(self) -> bool:
        return "inform_channel" in self.step_kind.fields

    @property
    def is_approval(self) -> bool:
        return self.step_kind.approval


@dataclass(frozen=True)
class Channel:
    key: str
    label: str
    entry: str
    roles: tuple[str, ...]
    legal_basis: str = ""
    #: The built-in channel a region's own channel counts under nationally and behaves as ("" = built-in).
    maps_to: str = ""

    @property
    def national(self) -> str:
        """The built-in channel this one is (itself, or the one a region's own channel maps to)."""
        return self.maps_to or self.key


@dataclass
class Sop:
    states: dict[str, State]
    transitions: list[Transition]
    channels: dict[str, Channel]
    routing: dict[str, str]
    raw: dict[str, Any] = field(default_factory=dict)

    def state(self, key: str) -> State:
        return self.states[key]

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == state]

    def transition(self, key: str) -> Transition | None:
        return next((t for t in self.transitions if t.key == key), None)

    def waiting_roles(self, state: str) -> set[str]:
        """Roles that can act on a case in `state` (its inbox owners)."""
        return {r for t in self.transitions_from(state) for r in t.roles}

    def allowed(self, state: str, role: str | None) -> list[Transition]:
        """The steps a holder of `role` may take now, and nothing else."""
        return [t for t in self.transitions_from(state) if role in t.roles]

    def open_states(self) -> list[str]:
        return [k for k, s in self.states.items() if not s.final]


def parse_sop(data: Any, unit_keys: Iterable[str] | None = None, entry: str = "sop",
              own_areas: Iterable[str] = ()) -> Sop:
    """Validate an SOP mapping and build the state machine, or raise SopError.

    `own_areas`: the region's own service-area keys, which `routing` may route besides the
    built-in ones (`app.org.service_areas`)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise SopError([f"{entry}: " + _("SOP harus berupa pemetaan")])
    states = _states(data.get("states"), problems, entry)
    transitions = _transitions(data.get("transitions"), states, problems, entry)
    channels = _channels(data.get("channels"), states, problems, entry)
    routing = _routing(data.get("routing"), unit_keys, problems, entry, set(own_areas))
    sop = Sop(states=states, transitions=transitions, channels=channels, routing=routing, raw=data)
    if not problems:
        problems.extend(check_reachability(sop, entry))
    if problems:
        raise SopError(problems)
    return sop


def parse_stored(data: Any) -> Sop:
    """A stored version's state machine: checked when it was saved, so the own service areas its
    routing names are taken as they are (the region may have retired one since)."""
    routing = data.get("routing") if isinstance(data, dict) else None
    own = [str(k) for k in routing if isinstance(k, str) and OWN_KEY.match(k)] if isinstance(routing, dict) else []
    return parse_sop(data, own_areas=own)


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    return str(value).strip() if value is not None else ""


def _roles(value, where: str, problems: list[str]) -> tuple[str, ...]:
    roles = value if isinstance(value, list) else [value] if value else []
    for role in roles:
        if not isinstance(role, str) or role not in ROLES:
            problems.append(f"{where}: " + _("peran '%(r)s' tidak dikenal", r=role))
            return ()
    if not roles:
        problems.append(f"{where}: " + _("'role' wajib diisi"))
    return tuple(str(r) for r in roles)


def _states(items, problems, entry) -> dict[str, State]:
    states: dict[str, State] = {}
    if not isinstance(items, list) or not items:
        problems.append(f"{entry}.states: " + _("daftar tahap wajib ada"))
        return states
    for i, item in enumerate(items):
        where = f"{entry}.states[{i + 1}]"
        key = _text(item, "key") if isinstance(item, dict) else ""
        if not key:
            problems.append(f"{where}: " + _("'key' wajib diisi"))
            continue
        where += f" ({key})"
        if key in states:
            problems.append(f"{where}: " + _("tahap '%(k)s' muncul lebih dari sekali", k=key))
        sla = item.get("sla_hours")
        if sla is not None and (isinstance(sla, bool) or not isinstance(sla, int) or sla <= 0):
            problems.append(f"{where}: " + _("'sla_hours' harus bilangan bulat positif"))
            sla = None
        if not _text(item, "label"):
            problems.append(f"{where}: " + _("'label' wajib diisi"))
        states[key] = State(key=key, label=_text(item, "label"), sla_hours=sla,
                            legal_basis=_text(item, "legal_basis"), final=bool(item.get("final")))
    if states and not any(s.final for s in states.values()):
        problems.append(f"{entry}.states: " + _("tidak ada tahap akhir (final: true)"))
    return states


def _transitions(items, states, problems, entry) -> list[Transition]:
    out: list[Transition] = []
    seen: set[str] = set()
    if not isinstance(items, list) or not items:
        problems.append(f"{entry}.transitions: " + _("daftar langkah wajib ada"))
        return out
    for i, item in enumerate(items):
        where = f"{entry}.transitions[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: " + _("setiap langkah harus berupa pemetaan"))
            continue
        key = _text(item, "key")
        where += f" ({key})"
        if not key or key in seen:
            problems.append(f"{where}: " + _("'key' wajib diisi dan unik"))
        seen.add(key)
        kind = _text(item, "kind") or "forward"
        if kind not in REGISTRY:
            problems.append(f"{where}: " + _("jenis langkah '%(k)s' tidak dikenal (pilihan: %(o)s)",
                                             k=kind, o=", ".join(REGISTRY)))
            kind = "forward"
        note = _text(item, "note") or REGISTRY[kind].note
        if note not in NOTE_RULES:
            problems.append(f"{where}: " + _("'note' harus required, optional atau none"))
        if REGISTRY[kind].note == "required":
            note = "required"
        for end in ("from", "to"):
            if _text(item, end) not in states:
                problems.append(f"{where}: " + _("tahap '%(s)s' (%(e)s) tidak ada", s=_text(item, end), e=end))
        if _text(item, "from") in states and states[_text(item, "from")].final:
            problems.append(f"{where}: " + _("tidak boleh ada langkah dari tahap akhir"))
        if not _text(item, "legal_basis"):
            problems.append(f"{where}: " + _("'legal_basis' wajib diisi"))
        out.append(Transition(key=key, label=_text(item, "label") or key, source=_text(item, "from"),
                              target=_text(item, "to"), roles=_roles(item.get("role"), where, problems),
                              kind=kind, note=note, legal_basis=_text(item, "legal_basis")))
    return out


def _channels(items, states, problems, entry) -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    if not isinstance(items, list) or not items:
        problems.append(f"{entry}.channels: " + _("minimal satu jalur masuk wajib ada"))
        return channels
    for i, item in enumerate(items):
        key = _text(item, "key") if isinstance(item, dict) else ""
        where = f"{entry}.channels[{i + 1}] ({key})"
        maps_to = _text(item, "maps_to") if isinstance(item, dict) else ""
        if key in CHANNELS and maps_to:
            problems.append(f"{where}: " + _("jalur bawaan tidak memakai 'maps_to'"))
        elif key not in CHANNELS:
            own = own_channel_problems(key, maps_to, _text(item, "label") if isinstance(item, dict) else "",
                                       _text(item, "legal_basis") if isinstance(item, dict) else "")
            problems.extend(f"{where}: {p}" for p in own)
            if own:
                continue
        if key in channels:
            problems.append(f"{where}: " + _("jalur '%(k)s' muncul lebih dari sekali", k=key))
        if _text(item, "entry") not in states:
            problems.append(f"{where}: " + _("tahap awal '%(s)s' tidak ada", s=_text(item, "entry")))
        elif states[_text(item, "entry")].final:
            problems.append(f"{where}: " + _("tahap awal tidak boleh tahap akhir"))
        channels[key] = Channel(key=key, label=_text(item, "label") or key, entry=_text(item, "entry"),
                                roles=_roles(item.get("role"), where, problems),
                                legal_basis=_text(item, "legal_basis"),
                                maps_to=maps_to if key not in CHANNELS else "")
    return channels


def _routing(mapping, unit_keys, problems, entry, own_areas: set[str]) -> dict[str, str]:
    if not isinstance(mapping, dict):
        problems.append(f"{entry}.routing: " + _("pemetaan bidang layanan ke unit back office wajib ada"))
        return {}
    units = set(unit_keys) if unit_keys is not None else None
    for area in SERVICE_AREAS:
        if area not in mapping:
            problems.append(f"{entry}.routing: " + _("bidang '%(a)s' belum ditangani unit mana pun", a=area))
    for area, unit in mapping.items():
        if area not in SERVICE_AREAS and area not in own_areas:
            problems.append(f"{entry}.routing: " + _("bidang layanan '%(a)s' tidak dikenal", a=area))
        if not isinstance(unit, str) or (units is not None and unit not in units):
            problems.append(f"{entry}.routing.{area}: " + _("unit back office '%(u)s' tidak ada", u=unit))
    return {str(k): str(v) for k, v in mapping.items()}


def check_reachability(sop: Sop, entry: str = "sop") -> list[str]:
    """Every state reachable from an entry, and every state can still reach a final one."""
    problems = []
    reachable = {c.entry for c in sop.channels.values()}
    frontier = list(reachable)
    while frontier:
        for t in sop.transitions_from(frontier.pop()):
            if t.target not in reachable:
                reachable.add(t.target)
                frontier.append(t.target)
    for key in sop.states:
        if key not in reachable:
            problems.append(f"{entry}.states ({key}): " + _("tahap ini tidak dapat dicapai dari jalur masuk mana pun"))
    finals = {k for k, s in sop.states.items() if s.final}
    can_close = set(finals)
    changed = True
    while changed:
        changed = False
        for t in sop.transitions:
            if t.target in can_close and t.source not in can_close:
                can_close.add(t.source)
                changed = True
    for key in reachable - can_close:
        problems.append(f"{entry}.states ({key}): " + _("dari tahap ini kasus tidak dapat mencapai penutupan"))
    return problems


def check_roles_held(sop: Sop, held_roles: set[str], entry: str = "sop", channels: bool = True) -> list[str]:
    """Every step (and every approval) has a role that some position in the region holds.

    `channels=False` leaves the channels to `sop_checks.channel_problems`, which also asks
    whether a post holding the role may use the channel (a Puskesos post for the Puskesos one).
    """
    problems = []
    for t in sop.transitions:
        if not set(t.roles) & held_roles:
            problems.append(f"{entry}.transitions ({t.key}): "
                            + _("tidak ada jabatan dengan peran %(r)s", r=", ".join(t.roles)))
    for c in sop.channels.values() if channels else ():
        if not set(c.roles) & held_roles:
            problems.append(f"{entry}.channels ({c.key}): "
                            + _("tidak ada jabatan dengan peran %(r)s", r=", ".join(c.roles)))
    return problems
