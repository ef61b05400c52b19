"""Who may do what outside the SOP: one permissions module, defaults as data, a region's own choice."""
from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.extensions import db
from app.org.vocabulary import ROLES
from app.permissions import DEFAULTS, Capability, can, roles_for
from app.tenancy.models import Tenant
from tests.conftest import REGIONS

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"

#: Who could do each thing before `app.permissions`, as the six scattered lists said.
BEFORE = {
    "configure": {"manager", "unit_head"},
    # back-office officers serve citizens' data requests (issue 11; Batu Bara Pasal 13 e, Palembang 15 e)
    "search_register": {"data_officer", "manager", "unit_head", "intake_officer", "case_officer"},
    "import_register": {"data_officer", "manager", "unit_head"},
    "see_prelist": {"supervisor", "manager", "unit_head", "data_officer"},
    "see_dashboard": {"manager", "unit_head", "monitoring_officer", "patron", "coordination_member"},
    "request_reports": {"manager", "unit_head", "monitoring_officer"},
    "reveal_nik": {"intake_officer", "case_officer", "data_officer", "facilitator", "supervisor",
                   "welfare_center_coordinator", "manager"},
    "oversee_cases": {"manager", "unit_head", "monitoring_officer", "admin_staff", "supervisor"},
    "delete_attachments": {"manager", "unit_head"},  # new with attachments (the uploader always may)
    "correct_case": {"manager", "unit_head", "intake_officer", "case_officer"},  # new (a returned case's recorder too)
    "manage_cases": {"manager", "unit_head"},  # new: withdraw, merge, reassign, priority, follow-up
    # new with households, programs and verval (issue 11)
    "see_households": {"intake_officer", "case_officer", "data_officer", "facilitator", "supervisor",
                       "welfare_center_coordinator", "manager", "unit_head"},
    "record_participation": {"intake_officer", "case_officer", "data_officer", "facilitator",
                             "welfare_center_coordinator"},
    "propose_updates": {"intake_officer", "data_officer", "facilitator", "welfare_center_coordinator"},
    "manage_programs": {"manager", "unit_head"},
    "exchange_siks": {"data_officer", "manager", "unit_head"},
    "rank_candidates": {"manager", "unit_head"},
    # new with monitoring and evaluation (issue 15): Cianjur Tugas SLRT a, Payakumbuh Pasal 7 (1) a and k,
    # Batu Bara Pasal 20 (1), Palembang Pasal 27 (1)
    "plan_activities": {"manager", "unit_head", "admin_staff"},
    "monitor_welfare_centers": {"manager", "unit_head", "monitoring_officer", "supervisor"},
    "evaluate": {"unit_head", "monitoring_officer"},
}


def region_with(role: str) -> str:
    """The first demo region whose chart has a post with `role` (read from the templates)."""
    for slug in REGIONS:
        data = yaml.safe_load((APP / "tenants" / "templates" / f"{slug}.yaml").read_text(encoding="utf-8"))
        if any(p["role"] == role for p in data["positions"]):
            return slug
    raise LookupError(role)


def capability_routes(app) -> dict[Capability, list]:
    """Every URL rule whose view is guarded by `requires(capability)`."""
    found: dict[Capability, list] = {}
    for rule in app.url_map.iter_rules():
        capability = getattr(app.view_functions[rule.endpoint], "required_capability", None)
        if capability is not None:
            found.setdefault(capability, []).append(rule)
    return found


def representative(rules):
    """(method, path, expected status when allowed): a GET without arguments if there is one (200),
    else one with a made-up id (404: it exists nowhere), else a POST with one."""
    def rank(rule):
        return ("GET" not in rule.methods, bool(rule.arguments), rule.rule)

    rule = sorted(rules, key=rank)[0]
    assert not rule.arguments or rule.arguments <= {"job_id", "case_id", "proposal_id"}, rule.rule
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<uuid:{name}>", str(uuid.uuid4()))
    return ("GET" if "GET" in rule.methods else "POST"), path, (404 if rule.arguments else 200)


def test_defaults_are_the_lists_they_replace():
    assert {c.value: set(roles) for c, roles in DEFAULTS.items()} == BEFORE
    assert all(roles <= set(ROLES) for roles in DEFAULTS.values())


def test_every_route_capability_is_guarded_somewhere(app):
    guarded = set(capability_routes(app))
    # OVERSEE_CASES shapes the inbox; DELETE_ATTACHMENTS is checked by the operation (the uploader may too),
    # CORRECT_CASE with the case (a returned case's recorder may too).
    assert guarded == set(Capability) - {Capability.OVERSEE_CASES, Capability.DELETE_ATTACHMENTS,
                                         Capability.CORRECT_CASE}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_gets_200_or_403_as_before(app, staff, role):
    client = staff(role, region_with(role))
    for capability, rules in sorted(capability_routes(app).items()):
        method, path, allowed = representative(rules)
        response = client.get(path) if method == "GET" else client.post(path)
        expected = allowed if role in BEFORE[capability.value] else 403
        assert response.status_code == expected, f"{role} {capability.value} {method} {path}"
    page = client.get("/home").get_data(as_text=True)
    if 'id="my-work"' in page:  # the overdue link opens every open case only for those who oversee them
        assert ("(wilayah Anda)" in page) == (role in BEFORE["oversee_cases"])
    else:  # the region's figures take the place of one's own counters
        assert role in BEFORE["see_dashboard"]


@pytest.fixture()
def supervisors_see_the_dashboard_in_cianjur(app):
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "cianjur"))
        saved = dict(tenant.permissions or {})  # the template's own rules (permissions:), put back after
        tenant.permissions = {"see_dashboard": sorted(BEFORE["see_dashboard"] | {"supervisor"})}
        db.session.commit()
    yield
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "cianjur"))
        tenant.permissions = saved
        db.session.commit()


def test_a_region_override_changes_who_may_there_only(app, staff, supervisors_see_the_dashboard_in_cianjur):
    cianjur = staff("supervisor", "cianjur")
    assert cianjur.get("/dashboard/").status_code == 200
    assert 'href="/dashboard/"' in cianjur.get("/home").get_data(as_text=True)  # the nav asks can() too
    for slug in ("bekasi", "palembang"):
        other = staff("supervisor", slug)
        assert other.get("/dashboard/").status_code == 403
        assert 'href="/dashboard/"' not in other.get("/home").get_data(as_text=True)
    assert staff("manager", "cianjur").get("/dashboard/").status_code == 200  # listed roles keep it
    with app.app_context():
        cianjur_tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "cianjur"))
        bekasi_tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "bekasi"))
        assert "supervisor" in roles_for(Capability.SEE_DASHBOARD, cianjur_tenant)
        assert roles_for(Capability.SEE_DASHBOARD, bekasi_tenant) == DEFAULTS[Capability.SEE_DASHBOARD]
        assert roles_for("request_reports", cianjur_tenant) == DEFAULTS[Capability.REQUEST_REPORTS]


def test_an_override_can_take_a_capability_away(app, staff):
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "payakumbuh"))
        saved = dict(tenant.permissions or {})  # the template's own rules (permissions:), put back after
        tenant.permissions = {"reveal_nik": ["supervisor"], "configure": "not a list"}
        db.session.commit()
    try:
        assert staff("manager", "payakumbuh").post(f"/cases/{uuid.uuid4()}/reveal-nik").status_code == 403
        assert staff("supervisor", "payakumbuh").post(f"/cases/{uuid.uuid4()}/reveal-nik").status_code == 404
        assert staff("manager", "payakumbuh").get("/settings/").status_code == 200  # malformed → the default
    finally:
        with app.app_context():
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "payakumbuh"))
            tenant.permissions = saved
            db.session.commit()


def test_can_takes_a_membership_of_its_own_region(app):
    from app.accounts.models import Membership, User
    from app.tenancy.context import tenant_context

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "bekasi"))
        with tenant_context(tenant):
            for role, expected in (("manager", True), ("case_officer", False)):
                user = db.session.scalar(select(User).where(User.email == f"{role}@bekasi.demo"))
                membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
                assert can(membership, Capability.CONFIGURE) is expected
        assert can(None, Capability.CONFIGURE) is False


# --- the guard: no role list for authorisation outside this module -------------------------------

#: Role-name collections outside app/permissions.py that are vocabulary, not authorisation.
VOCABULARY = {
    ("app/org/vocabulary.py", "ROLES"): "the canonical roles themselves",
    ("app/accounts/models.py", "PLATFORM_ROLES"): "what a platform user may be (national_admin, auditor)",
}


def _strings(node) -> list[str] | None:
    """The strings of a literal tuple/list/set (or frozenset({...}) / frozenset((...)) call), else None."""
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("frozenset", "set", "tuple") and node.args:
        node = node.args[0]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return values if len(values) == len(node.elts) else None
    return None


def role_lists(root: Path = APP) -> list[str]:
    """`*_ROLES = …` assignments, and literal collections of canonical role names in assignments
    or `in` tests, anywhere in app/ but app/permissions.py and the vocabulary."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        if rel == "app/permissions.py" or "/tenants/templates/" in rel:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
                    if (name.endswith("_ROLES") or name == "ROLES") and (rel, name) not in VOCABULARY:
                        found.append(f"{rel}:{node.lineno} {name}")
            candidates = []
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                candidates.append(node.value)
            if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
                candidates.extend(node.comparators)
            if isinstance(node, ast.BinOp):
                candidates.extend((node.left, node.right))
            for candidate in candidates:
                values = _strings(candidate)
                if values and all(v in ROLES for v in values):
                    found.append(f"{rel}:{node.lineno} {ast.unparse(candidate)[:60]}")
    return sorted(set(found))


def test_no_role_list_for_authorisation_outside_permissions():
    assert role_lists() == []


def test_the_guard_finds_a_role_list(tmp_path):
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "stray.py").write_text('REVIEW_ROLES = ("supervisor", "manager")\n'
                                  'def f(role):\n    return role in {"patron", "manager"}\n', encoding="utf-8")
    assert len(role_lists(pkg)) == 3


def test_permissions_imports_only_the_floor_it_needs():
    """The tenancy mechanism, the role vocabulary, the extensions, and the login check it builds on."""
    from tests.helpers.source import imported_modules

    allowed = ("app.tenancy", "app.org.vocabulary", "app.extensions", "app.accounts.auth")
    app_imports = [m for _, m in imported_modules(APP / "permissions.py") if m.startswith("app.")]
    assert app_imports and all(any(m == a or m.startswith(a + ".") for a in allowed) for m in app_imports), app_imports


# --- a region's own rule carries its legal basis; the older list form is still read ----------------


def test_the_older_list_form_is_still_read():
    from types import SimpleNamespace

    from app.permissions import rule_for

    region = SimpleNamespace(permissions={"see_dashboard": ["supervisor", "manager", "emperor"]})
    assert roles_for(Capability.SEE_DASHBOARD, region) == {"supervisor", "manager"}
    rule = rule_for("see_dashboard", region)
    assert rule.own and rule.roles == ("manager", "supervisor") and rule.legal_basis == ""
    assert roles_for(Capability.REVEAL_NIK, region) == DEFAULTS[Capability.REVEAL_NIK]


def test_the_legal_basis_is_kept_with_the_roles():
    from types import SimpleNamespace

    from app.permissions import rule_for, rules_of

    region = SimpleNamespace(permissions={
        "request_reports": {"roles": ["admin_staff", "manager"], "legal_basis": "Pasal 7 ayat (2) huruf d"},
        "configure": {"roles": "manager", "legal_basis": "Pasal 1"},  # malformed → the default
    })
    rule = rule_for(Capability.REQUEST_REPORTS, region)
    assert rule.own and rule.roles == ("manager", "admin_staff") and rule.legal_basis == "Pasal 7 ayat (2) huruf d"
    assert roles_for("request_reports", region) == {"admin_staff", "manager"}
    assert rule_for(Capability.CONFIGURE, region).own is False
    assert roles_for(Capability.CONFIGURE, region) == DEFAULTS[Capability.CONFIGURE]
    rules = rules_of(region)
    assert [r.capability for r in rules] == list(Capability)
    default = rules[list(Capability).index(Capability.SEE_DASHBOARD)]
    assert default.own is False and set(default.roles) == DEFAULTS[Capability.SEE_DASHBOARD]


def test_every_capability_has_a_plain_indonesian_label_and_description():
    from app.permissions import DESCRIPTIONS

    assert set(DESCRIPTIONS) == set(Capability)
    for capability in Capability:
        assert str(capability.label) != capability.value and str(DESCRIPTIONS[capability]).endswith(".")


@pytest.mark.parametrize("role, slug, paths, elsewhere", [
    ("data_officer", "cianjur", ["/dashboard/", "/dashboard/reports"], 403),  # Kepala Seksi Data dan Pelaporan
    ("admin_staff", "payakumbuh", ["/dashboard/", "/dashboard/reports"], 403),  # Kasubag TU, Pasal 7 ayat (2) huruf d
    # Pasal 13 huruf e / Pasal 15 huruf e; back-office officers search the register everywhere by default (issue 11)
    ("case_officer", "batubara", ["/register/", "/register/search"], 200),
    ("case_officer", "palembang", ["/register/", "/register/search"], 200),
])
def test_the_regulations_permissions_are_in_effect(staff, role, slug, paths, elsewhere):
    client = staff(role, slug)
    for path in paths:
        assert client.get(path).status_code == 200, path
    other = staff(role, "bekasi" if role != "admin_staff" else "cianjur")  # the default elsewhere
    assert other.get(paths[0]).status_code == elsewhere
