"""A manager of Payakumbuh ranks the candidates for a regional program (Pasal 7 (1) f): sees each score
explained and the tie-break rule, downloads the list, and records the decision with its decree (SK)."""
from __future__ import annotations

import uuid
from datetime import date

from playwright.sync_api import expect

from app.tenancy.context import tenant_context
from tests.e2e.conftest import login
from tests.factories import tenant
from tests.helpers.households import Member, add_household
from tests.helpers.ranking import ranking_program
from tests.helpers.reports import drain

SLUG = "payakumbuh"
FETCH = """async (href) => {
  const response = await fetch(href);
  return [response.status, response.headers.get("content-type"), (await response.arrayBuffer()).byteLength];
}"""


def _program_with_candidates(app) -> dict:
    from app.extensions import db

    with app.app_context(), tenant_context(tenant(SLUG)):
        tag = uuid.uuid4().hex[:6]
        # Households of exactly seven qualify: ours, not the many other tests leave in the region.
        program = ranking_program(criteria=[{"attribute": "member_count", "op": "eq", "value": 7,
                                             "legal_basis": "Perwal uji Pasal 2"}])
        program.name = f"Bantuan Daerah Peringkat {tag}"

        def children(disabled: bool) -> list[Member]:
            return [Member(f"Anak {i} {tag}", relation_to_head="child", birth_date=date(2010 + i, 1, 1),
                           disability="physical" if disabled and i == 0 else "none") for i in range(6)]

        add_household([Member(f"Kepala Lansia {tag}", birth_date=date(1950, 3, 3)), *children(True)], decile=1)
        add_household([Member(f"Kepala Muda {tag}", birth_date=date(1990, 3, 3)), *children(False)], decile=6)
        db.session.commit()
        return {"id": str(program.id), "name": program.name, "tag": tag}


def test_manager_ranks_candidates_exports_and_decides(app, live_server, new_page):
    program = _program_with_candidates(app)
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")

    page.goto(live_server.url(SLUG, "/programs/rankings"))
    page.get_by_role("row", name=program["name"]).get_by_role("link", name="Peringkat calon").click()
    expect(page.locator("h1")).to_contain_text(program["name"])
    expect(page.locator("main")).to_contain_text("desil kesejahteraan lebih rendah lebih dahulu")
    page.get_by_label("Kuota (boleh kosong)").fill("1")
    page.get_by_role("button", name="Hitung peringkat").click()
    page.wait_for_url("**/programs/rankings/*")  # redirected once the job is queued (the request committed)
    drain(live_server.app)  # RQ mode: the computation runs now; inline mode ran it already
    expect(page.locator("#ranking-table")).to_be_visible(timeout=15_000)  # the page reloads when it is done

    elderly = page.locator("tr", has_text=f"Kepala Lansia {program['tag']}")
    expect(elderly).to_have_count(1)
    elderly.locator("summary").click()
    expect(elderly.locator("details ul")).to_contain_text("+30")
    expect(elderly.locator("details ul")).to_contain_text("Ada anggota dengan disabilitas")
    young = page.locator("tr", has_text=f"Kepala Muda {program['tag']}")
    expect(young.locator("summary")).to_have_text("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    link = page.get_by_role("link", name="Excel semua calon")
    status, kind, size = page.evaluate(FETCH, link.get_attribute("href"))
    assert status == 200 and "spreadsheetml" in kind and size > 0
    status, kind, size = page.evaluate(FETCH, page.get_by_role("link", name="PDF yang diusulkan").get_attribute("href"))
    assert status == 200 and kind == "application/pdf" and size > 0

    page.get_by_role("button", name="Simpan keputusan").click()  # nothing filled in: the fields say why
    expect(page.locator(".field-error").first).to_be_visible()
    expect(page.locator("form.ranking-decide")).to_contain_text("Nomor SK wajib diisi.")
    page.get_by_label("Nomor SK").fill("400.9/12/SK/UPT-PSPK/2026")
    page.get_by_label("Tanggal SK").fill(date.today().isoformat())
    page.get_by_label("Peringkat teratas sebanyak kuota").check()
    page.get_by_label("Kuota", exact=True).fill("1")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.locator(".flash-success")).to_contain_text("1 rumah tangga diusulkan")
    expect(page.locator("dl.facts")).to_contain_text("400.9/12/SK/UPT-PSPK/2026")
    expect(page.get_by_role("button", name="Simpan keputusan")).to_have_count(0)
    expect(page.locator("input[name=ticked]")).to_have_count(0)
