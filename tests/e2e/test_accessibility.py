"""Automated accessibility check: axe-core over the main pages, light and dark, as each kind of user.

axe-core comes inside the axe-playwright-python package (nothing is downloaded at test time).
A serious or critical violation on any page fails the test, listed readably: page, colour
scheme, rule, what to fix, and the first elements it was found on.
"""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import login
from tests.helpers.casework import new_case

BLOCKING = {"serious", "critical"}
SCHEMES = ("light", "dark")

ANONYMOUS = [(None, "/"), (None, "/login"), ("bekasi", "/"), ("bekasi", "/login"), ("bekasi", "/status")]
MANAGER = ["/home", "/cases/", "CASE", "/org/", "/dashboard/", "/dashboard/reports",
           "/dashboard/reports/settings", "/register/",
           "/verval/updates", "/verval/reviews", "/verval/batches", "/households/", "/programs/",
           "/settings/", "/settings/org/", "/settings/org/units/new", "/settings/staff/", "/settings/reviews",
           "/settings/staff/invite", "/settings/procedure", "/settings/sop/", "/settings/terms",
           "/settings/partners/", "/settings/partners/new", "/settings/transfer", "/settings/history", "/password"]
INTAKE = ["/home", "/intake/", "/cases/"]
PLATFORM = ["/console/", "/console/audit", "/console/compare", "/console/regions/new", "/console/users",
            "/console/reports/"]

_axe = Axe()


def violations_on(page, where: str) -> list[str]:
    """The serious/critical violations on the page now, one readable paragraph each."""
    page.wait_for_load_state("networkidle")
    found = _axe.run(page).response["violations"]
    lines = []
    for v in found:
        if v.get("impact") not in BLOCKING:
            continue
        nodes = "\n".join(f"      at {', '.join(map(str, n['target']))}: "
                          f"{n.get('failureSummary', '').splitlines()[-1].strip()}"
                          for n in v["nodes"][:4])
        more = f"\n      … and {len(v['nodes']) - 4} more" if len(v["nodes"]) > 4 else ""
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']}\n{nodes}{more}")
    return lines


def check_pages(page, live_server, slug, paths, scheme) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(live_server.url(slug, path))
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '-'}"
        problems += violations_on(page, f"{slug or 'platform'}{path} ({scheme})")
    return problems


def report(problems: list[str]) -> str:
    return f"{len(problems)} serious/critical accessibility violation(s):\n\n" + "\n\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_public_pages(new_page, live_server, scheme):
    page = new_page(color_scheme=scheme)
    problems = []
    for slug, path in ANONYMOUS:
        problems += check_pages(page, live_server, slug, [path], scheme)
    assert not problems, report(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("slug, email, paths", [
    ("bekasi", "manager@bekasi.demo", MANAGER),
    ("payakumbuh", "intake_officer@payakumbuh.demo", INTAKE),
    (None, "admin@platform.demo", PLATFORM),
], ids=["manager", "intake", "platform"])
def test_signed_in_pages(app, new_page, live_server, scheme, slug, email, paths):
    if "CASE" in paths:  # a case of this region, made for the check
        paths = [f"/cases/{new_case(app, slug)['id']}" if p == "CASE" else p for p in paths]
    page = new_page(color_scheme=scheme)
    login(page, live_server, slug, email)
    problems = check_pages(page, live_server, slug, paths, scheme)
    assert not problems, report(problems)


def test_skip_link_moves_to_the_main_content(page, live_server):
    page.goto(live_server.url("bekasi", "/login"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi halaman")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()  # shown when focused, hidden otherwise
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
