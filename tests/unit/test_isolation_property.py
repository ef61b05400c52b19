"""Tenant isolation as a property: whatever users of two regions do, neither region's views show the other's data.

A Hypothesis state machine drives the real app over HTTP (host → tenant, login, scoping,
row-level security on PostgreSQL) for two regions made from the Bekasi and Cianjur templates:
intakes, SOP steps, register imports, invitations, partners, configuration exports, inbox
searches and monthly reports (PDF and Excel, through RQ when REDIS_URL is set). Each region marks everything it types
(see tests/isolation.py). After every example, every list, search, register, pre-list,
history, staff and export view of each region is checked for the other's marks; each report
is checked as it is built. A fixed tail then does every operation once more in both regions
and checks everything again, reports included, and that each view shows the region's own
marks (so a view that shows nothing cannot pass for an isolated one).
"""
from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule, run_state_machine_as_test

from tests.isolation import World, fresh_region

pytestmark = pytest.mark.postgres

#: Two fresh regions from the Bekasi and Cianjur templates (their own SOPs, routing, partners).
REGIONS = {"uji-isolasi-a": ("bekasi", "63.71", "Kota Uji Isolasi A"),
           "uji-isolasi-b": ("cianjur", "63.72", "Kota Uji Isolasi B")}
SLUGS = tuple(REGIONS)
region_choice = st.sampled_from(SLUGS)
SETTINGS = settings(max_examples=10, stateful_step_count=10, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow], print_blob=False,
                    phases=(Phase.explicit, Phase.generate))  # no shrinking: each step is HTTP work


@pytest.fixture()
def world(app, tmp_path, monkeypatch):
    """Both regions, report files under a temporary folder, a queue of our own."""
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-isolation-{uuid.uuid4().hex[:8]}")
    return World(app, tuple(fresh_region(app, slug, *made_from) for slug, made_from in REGIONS.items()))


def machine_for(world: World):
    class TwoRegions(RuleBasedStateMachine):
        """Random work in two regions; the views are checked when the example ends."""

        def __init__(self):
            super().__init__()
            self.cases = []  # (slug, case id) opened in this example: Hypothesis replays examples

        def _open_case(self, slug):
            self.cases.append((slug, world.intake(world.regions[slug])))

        @initialize()
        def open_a_case_in_each_region(self):
            for slug in SLUGS:
                self._open_case(slug)

        @rule(slug=region_choice)
        def intake(self, slug):
            self._open_case(slug)

        @precondition(lambda self: self.cases)
        @rule(index=st.integers(0, 50))
        def step(self, index):
            slug, case_id = self.cases[index % len(self.cases)]
            world.step(world.regions[slug], case_id)

        @rule(slug=region_choice, rows=st.integers(1, 3))
        def import_register(self, slug, rows):
            world.import_register(world.regions[slug], rows)

        @rule(slug=region_choice)
        def invite(self, slug):
            world.invite(world.regions[slug])

        @rule(slug=region_choice)
        def add_partner(self, slug):
            if len(world.regions[slug].partners) < 3:  # the seeded regions stay close to their templates
                world.add_partner(world.regions[slug])

        @rule(slug=region_choice)
        def export(self, slug):
            region = world.regions[slug]
            world.check_view(region, "config export", world.client(region, "manager").get("/settings/transfer/export"))

        @rule(slug=region_choice, own=st.booleans())
        def search(self, slug, own):
            region = world.regions[slug]
            term = region.prefix if own else world.other(region).prefix
            world.check_view(region, f"inbox search {term}", world.client(region, "intake_officer").get(
                f"/cases/?q={term}", headers={"HX-Request": "true", "HX-Target": "case-list"}))

        @rule(slug=region_choice, fmt=st.sampled_from(("pdf", "xlsx")))
        def report(self, slug, fmt):
            region = world.regions[slug]
            world.check_view(region, f"monthly report ({fmt})", world.report(region, fmt))

        def teardown(self):
            for region in world.regions.values():
                world.views(region)

    return TwoRegions


def test_no_view_of_one_region_shows_the_other(world):
    run_state_machine_as_test(machine_for(world), settings=SETTINGS)
    regions = list(world.regions.values())
    for region in regions:
        world.add_partner(region)
        world.import_register(region, 2)
        world.invite(region)
        world.step(region, world.intake(region))
    for region in regions:
        seen = world.views(region)
        world.check_own_visible(region, seen)
        for fmt in ("pdf", "xlsx"):
            text = world.check_view(region, f"monthly report ({fmt})", world.report(region, fmt))
            assert region.names[-1].lower() in text.lower(), f"{region.slug}: the {fmt} report lacks its pre-list"
