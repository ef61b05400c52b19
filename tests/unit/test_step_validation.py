"""SOP validation and step input, each refusal with its Indonesian message.

Through the public operations only: `parse_sop` (every SOP a region saves or imports),
`take_step` (every step on a case) and the SOP editor's `sop_edits` functions. A refused
step changes nothing on the case.
"""
from __future__ import annotations

import copy
import uuid

import pytest
from sqlalchemy import func, select

from app.casework import sop_edits
from app.casework.errors import StepInvalid
from app.casework.models import CaseEvent, Partner
from app.casework.sop import SopError, parse_sop
from app.casework.steps import StepInput, take_step
from app.extensions import db
from app.org.vocabulary import ROLES, SERVICE_AREAS
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.factories import make_case, member, tenant

LEGAL = "Pasal 1 (uji)"


def minimal_sop() -> dict:
    """Smallest valid SOP: registered -> handled -> closed, one channel, every area routed."""
    return {
        "states": [{"key": "registered", "label": "Terdaftar", "sla_hours": 24},
                   {"key": "handled", "label": "Ditangani", "sla_hours": 72},
                   {"key": "closed", "label": "Selesai", "final": True}],
        "transitions": [
            {"key": "handle", "label": "Tangani", "from": "registered", "to": "handled", "role": "intake_officer",
             "legal_basis": LEGAL},
            {"key": "close", "label": "Tutup", "from": "handled", "to": "closed", "role": ["intake_officer"],
             "kind": "close", "legal_basis": LEGAL},
        ],
        "channels": [{"key": "walk_in", "label": "Datang langsung", "entry": "registered", "role": "intake_officer",
                      "legal_basis": LEGAL}],
        "routing": {area: "back_office" for area in SERVICE_AREAS},
    }


def problems_of(data, **kw) -> list[str]:
    with pytest.raises(SopError) as err:
        parse_sop(data, **kw)
    return err.value.problems


def broken(change) -> dict:
    data = copy.deepcopy(minimal_sop())
    change(data)
    return data


def test_the_minimal_sop_parses(app_ctx):
    sop = parse_sop(minimal_sop(), unit_keys=["back_office"])
    assert sop.open_states() == ["registered", "handled"]
    assert [t.key for t in sop.allowed("registered", "intake_officer")] == ["handle"]


# --- parse_sop: one broken piece at a time ----------------------------------------------

BROKEN = {
    "no states": (lambda d: d.pop("states"), "sop.states: daftar tahap wajib ada"),
    "empty states": (lambda d: d.update(states=[]), "sop.states: daftar tahap wajib ada"),
    "state without key": (lambda d: d["states"][1].pop("key"), "sop.states[2]: 'key' wajib diisi"),
    "state not a mapping": (lambda d: d["states"].insert(0, "registered"), "sop.states[1]: 'key' wajib diisi"),
    "state twice": (lambda d: d["states"].append({"key": "handled", "label": "Lagi"}),
                    "sop.states[4] (handled): tahap 'handled' muncul lebih dari sekali"),
    "state without label": (lambda d: d["states"][0].update(label="  "),
                            "sop.states[1] (registered): 'label' wajib diisi"),
    "sla zero": (lambda d: d["states"][0].update(sla_hours=0),
                 "sop.states[1] (registered): 'sla_hours' harus bilangan bulat positif"),
    "sla text": (lambda d: d["states"][0].update(sla_hours="24"),
                 "sop.states[1] (registered): 'sla_hours' harus bilangan bulat positif"),
    "sla true": (lambda d: d["states"][0].update(sla_hours=True),
                 "sop.states[1] (registered): 'sla_hours' harus bilangan bulat positif"),
    "no final state": (lambda d: d["states"][2].pop("final"), "sop.states: tidak ada tahap akhir (final: true)"),
    "no transitions": (lambda d: d.update(transitions=[]), "sop.transitions: daftar langkah wajib ada"),
    "transition not a mapping": (lambda d: d["transitions"].append(["handle"]),
                                 "sop.transitions[3]: setiap langkah harus berupa pemetaan"),
    "transition without key": (lambda d: d["transitions"][0].pop("key"),
                               "sop.transitions[1] (): 'key' wajib diisi dan unik"),
    "transition twice": (lambda d: d["transitions"].append(dict(d["transitions"][0])),
                         "sop.transitions[3] (handle): 'key' wajib diisi dan unik"),
    "unknown note rule": (lambda d: d["transitions"][0].update(note="sometimes"),
                          "sop.transitions[1] (handle): 'note' harus required, optional atau none"),
    "unknown stage": (lambda d: d["transitions"][0].update(to="nowhere"),
                      "sop.transitions[1] (handle): tahap 'nowhere' (to) tidak ada"),
    "step from a final stage": (lambda d: d["transitions"].append(
        {"key": "reopen", "from": "closed", "to": "registered", "role": "intake_officer", "legal_basis": LEGAL}),
        "sop.transitions[3] (reopen): tidak boleh ada langkah dari tahap akhir"),
    "step without legal basis": (lambda d: d["transitions"][0].pop("legal_basis"),
                                 "sop.transitions[1] (handle): 'legal_basis' wajib diisi"),
    "unknown role": (lambda d: d["transitions"][0].update(role="astronaut"),
                     "sop.transitions[1] (handle): peran 'astronaut' tidak dikenal"),
    "no role": (lambda d: d["transitions"][0].pop("role"), "sop.transitions[1] (handle): 'role' wajib diisi"),
    "no channels": (lambda d: d.pop("channels"), "sop.channels: minimal satu jalur masuk wajib ada"),
    "unknown channel": (lambda d: d["channels"][0].update(key="drive_thru"),
                        "sop.channels[1] (drive_thru): jalur 'drive_thru' bukan jalur bawaan "
                        "(walk_in, welfare_center, home_visit): sebagai jalur milik daerah wajib memakai 'maps_to', "
                        "jalur bawaan tempat ia dihitung dalam angka nasional"),
    "channel twice": (lambda d: d["channels"].append(dict(d["channels"][0])),
                      "sop.channels[2] (walk_in): jalur 'walk_in' muncul lebih dari sekali"),
    "channel into a missing stage": (lambda d: d["channels"][0].update(entry="nowhere"),
                                     "sop.channels[1] (walk_in): tahap awal 'nowhere' tidak ada"),
    "channel into the final stage": (lambda d: d["channels"][0].update(entry="closed"),
                                     "sop.channels[1] (walk_in): tahap awal tidak boleh tahap akhir"),
    "routing not a mapping": (lambda d: d.update(routing=["back_office"]),
                              "sop.routing: pemetaan bidang layanan ke unit back office wajib ada"),
    "area not routed": (lambda d: d["routing"].pop("kesehatan"),
                        "sop.routing: bidang 'kesehatan' belum ditangani unit mana pun"),
    "unknown area": (lambda d: d["routing"].update(astrologi="back_office"),
                     "sop.routing: bidang layanan 'astrologi' tidak dikenal"),
    "unreachable stage": (lambda d: d["states"].insert(2, {"key": "orphan", "label": "Yatim"}) or
                          d["transitions"].append({"key": "adopt", "from": "orphan", "to": "closed",
                                                   "role": "intake_officer", "legal_basis": LEGAL}),
                          "sop.states (orphan): tahap ini tidak dapat dicapai dari jalur masuk mana pun"),
    "dead end": (lambda d: d["transitions"].pop(1),
                 "sop.states (handled): dari tahap ini kasus tidak dapat mencapai penutupan"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_sop_is_refused_with_its_message(app_ctx, name):
    change, message = BROKEN[name]
    assert message in problems_of(broken(change))


@pytest.mark.parametrize("data", ["states: []", ["registered"], None])
def test_an_sop_that_is_not_a_mapping(app_ctx, data):
    assert problems_of(data) == ["sop: SOP harus berupa pemetaan"]


def test_unknown_step_kind_names_the_known_ones(app_ctx):
    (problem,) = problems_of(broken(lambda d: d["transitions"][0].update(kind="teleport")))
    assert problem.startswith("sop.transitions[1] (handle): jenis langkah 'teleport' tidak dikenal (pilihan: ")
    assert "request_referral" in problem and "inform" in problem


def test_routing_to_a_unit_the_region_lacks(app_ctx):
    problems = problems_of(minimal_sop(), unit_keys=["front_office"])
    assert "sop.routing.kesehatan: unit back office 'back_office' tidak ada" in problems


def test_the_entry_name_prefixes_every_problem(app_ctx):
    assert problems_of(broken(lambda d: d.pop("channels")), entry="draf") == [
        "draf.channels: minimal satu jalur masuk wajib ada"]


def test_a_kind_that_requires_a_note_cannot_be_relaxed(app_ctx):
    data = broken(lambda d: d["transitions"][0].update(kind="request_referral", note="none"))
    assert parse_sop(data).transition("handle").note == "required"


# --- take_step: what each kind collects ------------------------------------------------

def step(case, key: str, role: str, slug: str, **data):
    user, membership = member(f"{role}@{slug}.demo")
    return take_step(case, key, StepInput(**data), user=user, membership=membership, expected_version=case.version)


def refused(case, key: str, role: str, slug: str, **data) -> dict[str, list[str]]:
    """The errors of a refused step; the case and its history are left exactly as they were."""
    state, version = case.state, case.version
    events = db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id))
    with pytest.raises(StepInvalid) as err:
        step(case, key, role, slug, **data)
    assert (case.state, case.version) == (state, version)
    assert db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)) == events
    return err.value.errors


@pytest.fixture()
def payakumbuh(app_ctx):
    """A fresh walk-in case at Payakumbuh's back office (analysis), and a partner to refer to."""
    with tenant_context(tenant("payakumbuh")):
        case = make_case("payakumbuh")
        step(case, "forward_to_back_office", "intake_officer", "payakumbuh")
        partner = Partner(name=f"Dinas Uji {uuid.uuid4().hex[:6]}", level="regency", kind="opd")
        db.session.add(partner)
        db.session.flush()
        yield case, partner


def test_referral_needs_a_note_and_a_partner(payakumbuh):
    case, _partner = payakumbuh
    assert refused(case, "request_referral", "case_officer", "payakumbuh", note=" ") == {
        "note": ["Catatan wajib diisi untuk langkah ini."],
        "partner_id": ["Pilih lembaga tujuan rujukan dari daftar."]}


@pytest.mark.parametrize("partner_id", ["bukan-uuid", str(uuid.uuid4()), "retired"],
                         ids=["not-a-uuid", "unknown-uuid", "retired"])  # ids fixed: parallel workers must agree
def test_referral_partner_must_be_an_active_one_of_the_region(payakumbuh, partner_id):
    case, partner = payakumbuh
    if partner_id == "retired":
        partner.retired_at = utcnow()
        db.session.flush()
        partner_id = str(partner.id)
    assert refused(case, "request_referral", "case_officer", "payakumbuh", note="Perlu bantuan",
                   partner_id=partner_id) == {"partner_id": ["Pilih lembaga tujuan rujukan dari daftar."]}


def walk_to_follow_up(case, partner) -> None:
    step(case, "request_referral", "case_officer", "payakumbuh", note="Perlu bantuan", partner_id=str(partner.id))
    step(case, "approve_referral", "unit_head", "payakumbuh")
    step(case, "send_referral", "case_officer", "payakumbuh")
    step(case, "record_answer", "case_officer", "payakumbuh", note="Diterima", answer_result="accepted")


@pytest.mark.parametrize("outcome", ["", "mungkin"])
def test_outcome_must_be_one_of_the_list(payakumbuh, outcome):
    case, partner = payakumbuh
    walk_to_follow_up(case, partner)
    errors = refused(case, "record_outcome", "case_officer", "payakumbuh", note="Selesai", outcome=outcome)
    assert errors == {"outcome": ["Pilih hasil tindak lanjut."]}


@pytest.mark.parametrize("channel", ["", "merpati"])
def test_inform_channel_must_be_one_of_the_list(payakumbuh, channel):
    case, partner = payakumbuh
    walk_to_follow_up(case, partner)
    step(case, "record_outcome", "case_officer", "payakumbuh", note="Sudah dilayani", outcome="served")
    inform = next(t.key for t in case.sop_version.sop.transitions_from(case.state) if t.kind == "inform")
    errors = refused(case, inform, "intake_officer", "payakumbuh", inform_channel=channel)
    assert errors == {"inform_channel": ["Pilih cara warga diberi tahu."]}
    step(case, inform, "intake_officer", "payakumbuh", inform_channel="phone")
    assert case.is_closed


# --- the SOP editor's operations --------------------------------------------------------

def test_editing_a_step_or_stage_that_is_not_in_the_draft(app_ctx):
    with pytest.raises(sop_edits.EditError) as err:
        sop_edits.set_step(minimal_sop(), "teleport", roles=["manager"], legal_basis=LEGAL)
    assert err.value.errors == {"step": ["'teleport' tidak ada dalam draf."]}
    with pytest.raises(sop_edits.EditError) as err:
        sop_edits.set_stage(minimal_sop(), "nowhere", label="Tahap", sla_hours=None)
    assert err.value.errors == {"stage": ["'nowhere' tidak ada dalam draf."]}


@pytest.mark.parametrize("sla", [0, -5, True, "24"])
def test_stage_sla_must_be_a_positive_whole_number(app_ctx, sla):
    with pytest.raises(sop_edits.EditError) as err:
        sop_edits.set_stage(minimal_sop(), "registered", label="Terdaftar", sla_hours=sla)
    assert err.value.errors == {"sla_hours": ["Batas waktu harus bilangan bulat positif (jam)."]}


def test_stage_without_sla_or_legal_basis_drops_them(app_ctx):
    out = sop_edits.set_stage(minimal_sop(), "registered", label="Terdaftar", sla_hours=None, legal_basis="  ")
    stage = out["states"][0]
    assert "sla_hours" not in stage and "legal_basis" not in stage
    assert parse_sop(out).state("registered").sla_hours is None


def test_routing_must_name_a_unit_for_every_area(app_ctx):
    routing = {area: "back_office" for area in SERVICE_AREAS} | {"kesehatan": "ghost"}
    with pytest.raises(sop_edits.EditError) as err:
        sop_edits.set_routing(minimal_sop(), routing, unit_keys=["back_office"])
    assert err.value.errors == {"kesehatan": ["Pilih unit back office dari daftar."]}
    routing["kesehatan"] = "back_office"
    assert sop_edits.set_routing(minimal_sop(), routing, unit_keys=["back_office"])["routing"] == routing


def test_unknown_channel_is_refused(app_ctx):
    with pytest.raises(sop_edits.EditError) as err:
        sop_edits.set_channel(minimal_sop(), "drive_thru", enabled=True, label="Lewat mobil", entry="registered",
                              roles=["intake_officer"], legal_basis=LEGAL)
    assert err.value.errors == {"channel": ["Jalur 'drive_thru' tidak dikenal."]}


def test_channel_fields_are_checked_together(app_ctx):
    with pytest.raises(sop_edits.EditError) as err:
        sop_edits.set_channel(minimal_sop(), "walk_in", enabled=True, label=" ", entry="closed", roles=[],
                              legal_basis="")
    assert err.value.errors == {"entry": ["Pilih tahap awal dari daftar."], "label": ["Nama jalur wajib diisi."],
                                "legal_basis": ["Dasar hukum wajib diisi."], "roles": ["Pilih minimal satu peran."]}


def test_changing_an_open_channel_replaces_it_in_place(app_ctx):
    out = sop_edits.set_channel(minimal_sop(), "walk_in", enabled=True, label="Loket", entry="registered",
                                roles=["facilitator", "intake_officer", "astronaut"], legal_basis="Pasal 9")
    roles = [r for r in ROLES if r in ("facilitator", "intake_officer")]  # canonical order, unknown dropped
    assert out["channels"] == [{"key": "walk_in", "label": "Loket", "entry": "registered", "role": roles,
                                "legal_basis": "Pasal 9"}]
    assert parse_sop(out).channels["walk_in"].roles == tuple(roles)
