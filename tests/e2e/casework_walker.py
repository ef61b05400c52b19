"""Drive a case through a region's own SOP in the browser, as the staff the SOP names.

The walker reads the case's SOP version, picks the next step by a fixed policy (forward,
refer to a partner, return the referral once, then approve, follow up, inform) and finds
the demo account whose role may take it — so one test covers all five procedures.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.casework.models import Case
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login
from tests.factories import tenant


class Walker:
    def __init__(self, app, live_server, new_page, slug: str):
        self.app, self.live_server, self.new_page, self.slug = app, live_server, new_page, slug
        self.pages: dict[str, object] = {}
        self.returned_referral = False
        self.taken: list[str] = []

    def page_for(self, email: str):
        """One browser context per staff member, logged in once."""
        if email not in self.pages:
            page = self.new_page()
            login(page, self.live_server, self.slug, email)
            self.pages[email] = page
        return self.pages[email]

    def case(self, ticket: str) -> Case:
        with self.app.app_context(), tenant_context(tenant(self.slug)):
            case = db.session.scalar(select(Case).where(Case.ticket == ticket))
            _ = case.sop_version.sop  # parse while attached
            db.session.expunge_all()
            return case

    def next_step(self, case: Case):
        sop = case.sop_version.sop
        options = sop.transitions_from(case.state)
        by_kind = {t.kind: t for t in options}
        if "request_referral" in by_kind:
            return by_kind["request_referral"]
        if "return" in by_kind and self.taken and self.taken[-1] == "request_referral" and not self.returned_referral:
            self.returned_referral = True
            return by_kind["return"]
        return next(t for t in options if t.kind != "return")

    def actor_for(self, ticket: str, step) -> str:
        """The first demo account the app itself allows to take `step` on this case."""
        from app.accounts.models import Membership, User
        from app.casework.steps import allowed_steps

        with self.app.app_context(), tenant_context(tenant(self.slug)):
            case = db.session.scalar(select(Case).where(Case.ticket == ticket))
            members = db.session.scalars(select(Membership).join(User).where(User.email.like("%.demo"))
                                         .order_by(User.email)).all()
            # The officer responsible for the case first; the inbox shows it to them.
            members = sorted(members, key=lambda m: m.user_id != case.assignee_id)
            for member in members:
                if member.position.role in step.roles and any(t.key == step.key for t in allowed_steps(case, member)):
                    return member.user.email
        raise AssertionError(f"{self.slug}: nobody may take {step.key} on {ticket}")

    def act(self, ticket: str, step) -> None:
        email = self.actor_for(ticket, step)
        page = self.page_for(email)
        page.goto(self.live_server.url(self.slug, "/cases/"))
        page.get_by_role("searchbox").fill(ticket)
        link = page.get_by_role("link", name=ticket, exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", name=ticket)).to_be_visible()
        panel = page.locator("details.step", has=page.locator("summary", has_text=step.label))
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        if step.needs_partner:
            panel.get_by_label("Lembaga tujuan rujukan").select_option(index=1)
        if step.needs_outcome:
            panel.get_by_label("Dilayani / diterima program").check()
        if step.needs_inform_channel:
            panel.get_by_label("Telepon").check()
        if "answer_result" in step.step_kind.fields:
            panel.get_by_label("Diterima", exact=True).check()
        note = panel.locator("textarea")
        if note.count():
            note.fill(f"Catatan uji: {step.label}")
        panel.locator("button[type=submit]").click()
        expect(page.locator(".flash-success")).to_contain_text(step.label)
        self.taken.append(step.kind)

    def walk_to_close(self, ticket: str, limit: int = 25) -> list[str]:
        """Take steps until the case closes; returns the step keys taken."""
        keys = []
        for _ in range(limit):
            case = self.case(ticket)
            if case.closed_at is not None:
                return keys
            step = self.next_step(case)
            self.act(ticket, step)
            keys.append(step.key)
        raise AssertionError(f"{self.slug}: case {ticket} not closed after {limit} steps: {keys}")


def ticket_on(page) -> str:
    match = re.search(r"\b[A-Z0-9]{2,12}-\d{4}-\d{6}\b", page.content())  # the region's prefix, year, number
    assert match, "no ticket number on the page"
    return match.group(0)


def fill_intake(page, citizen, *, name="Sri Wahyuni", area="Kesehatan"):
    page.locator("#nik").fill(citizen["nik"])
    page.locator("#kk_number").fill(citizen["kk"])
    expect(page.locator("#register-check")).to_contain_text("pre-list")  # htmx register check
    page.locator("#name").fill(name)
    page.locator("#birth_date").fill(citizen["birth"])
    page.get_by_label("Perempuan (P)").check()
    page.locator("#address").fill("Jl. Melati No. 7 RT 02/RW 03")
    page.locator("#village_code").select_option(citizen["village"])
    page.locator("#phone").fill(citizen["phone"])
    page.get_by_label(area, exact=True).check()
    page.locator("#complaint").fill("Anak sakit, belum punya BPJS; butuh bantuan biaya berobat.")
