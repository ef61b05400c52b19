"""Translations: the English catalog is complete and current, templates hold no unwrapped
Indonesian text, and a person who chooses English gets the pages and their reports in English.

After adding UI text run `make translations`, then fill the new English msgstrs.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
import uuid
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from openpyxl import load_workbook
from sqlalchemy import select

from app.accounts.models import Membership, User
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.conftest import DEMO_PASSWORD
from tests.factories import make_case, member, tenant

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%%")


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- (a) the English catalog is complete ------------------------------------------------------

def test_every_message_has_an_english_translation_with_the_same_placeholders():
    english = _catalog(CATALOGS / "en" / "LC_MESSAGES" / "messages.po")
    template = _catalog(CATALOGS / "messages.pot")
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = english.get(message.id)
        strings = (translated.string if isinstance(translated.string, tuple) else (translated.string,)) \
            if translated is not None else ("",)
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        if not all(strings) or (translated is not None and translated.fuzzy):
            problems.append(f"untranslated: {sources[0]!r}")
            continue
        for text in strings:
            if _placeholders(text) != _placeholders(sources[-1]):
                problems.append(f"placeholders differ: {sources[0]!r} -> {text!r}")
    assert not problems, f"{len(problems)} problems in the English catalog:\n" + "\n".join(problems[:40])


def test_compiled_catalogs_are_not_older_than_their_sources():
    """`make setup` compiles them; a stale .mo would serve yesterday's English."""
    for language in ("en", "id"):
        po = CATALOGS / language / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, \
            f"{mo} is missing or stale: run `make setup` (pybabel compile -d translations)"


# --- (b) the source catalog is current ---------------------------------------------------------

def test_the_source_catalog_holds_exactly_the_messages_in_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True)
    in_code, committed = _ids(_catalog(fresh)), _ids(_catalog(CATALOGS / "messages.pot"))
    missing, stale = sorted(in_code - committed), sorted(committed - in_code)
    assert not missing, f"not in messages.pot (run `make translations`): {missing[:20]}"
    assert not stale, f"no longer in the code, still in messages.pot (run `make translations`): {stale[:20]}"


# --- (c) no unwrapped text in templates --------------------------------------------------------

JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
PROPER_NAMES = {"SLRT", "Cloud"}  # the product's name is the same in every language


class _TextRuns(HTMLParser):
    """Text a person sees or hears: text nodes and the attributes a browser shows or reads aloud."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        self.runs += [value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.runs.append(data)


def unwrapped_text(source: str) -> list[str]:
    """Runs of words in a template outside Jinja tags, i.e. not through `_()` / `{% trans %}`."""
    parser = _TextRuns()
    parser.feed(JINJA.sub(" ", source))  # an expression splits nothing: "Kasus {{ n }} baru" is one run
    return [run.strip() for run in parser.runs if _is_text(WORD.findall(run))]


def _is_text(words: list[str]) -> bool:
    """Two words, or one capitalised word (a label): a lone lowercase token is a CSS class or a key."""
    words = [w for w in words if w not in PROPER_NAMES]
    return len(words) >= 2 or any(w[0].isupper() for w in words)


def test_the_template_scan_finds_what_it_should():
    assert unwrapped_text('<p>Kasus {{ n }} baru</p>') == ["Kasus   baru"]
    assert unwrapped_text('<input placeholder="Cari kasus">') == ["Cari kasus"]
    assert unwrapped_text('<th>Nama</th><nav aria-label="Jejak halaman"></nav>') == ["Nama", "Jejak halaman"]
    assert unwrapped_text('{% block button_class %}secondary{% endblock %}') == []
    assert unwrapped_text('<p>{{ _("Kasus baru") }} · SLRT Cloud</p><script>let a = 1;</script>') == []
    assert unwrapped_text('{# Catatan pengembang #}<p>{% if x %}{{ y }}{% endif %} — 12</p>') == []


def test_no_template_holds_unwrapped_text():
    found = [f"{path.relative_to(ROOT)}: {run!r}" for path in sorted((ROOT / "templates").rglob("*.html"))
             for run in unwrapped_text(path.read_text(encoding="utf-8"))]
    assert not found, "text outside _() in templates:\n" + "\n".join(found)


# --- (d) English on the screen and on paper ------------------------------------------------------

def new_member(app, slug: str, like: str) -> str:
    """A fresh account holding the same post as the demo account `like` (its own saved locale)."""
    email = f"lang-{uuid.uuid4().hex[:8]}@{slug}.demo"
    with app.app_context(), tenant_context(tenant(slug)):
        _user, model = member(like)
        user = User(email=email, name="Petugas Bahasa")
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, position_id=model.position_id))
        db.session.commit()
    return email


def saved_locale(app, email: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(User.locale).where(User.email == email))


def test_login_page_follows_accept_language(region_client):
    client = region_client("bekasi")
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page and "Password" in page
    assert "Kata sandi" not in page
    default = region_client("bekasi").get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="id">' in default and "Kata sandi" in default
    assert "Accept-Language" in client.get("/login").headers["Vary"]


def test_choice_on_the_login_page_outlives_logging_in(app, region_client):
    email = new_member(app, "bekasi", "intake_officer@bekasi.demo")
    client = region_client("bekasi")
    response = client.post("/language?next=/login", data={"locale": "en"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "Log in" in client.get("/login").get_data(as_text=True)
    client.login(email)
    page = client.get("/cases/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log out" in page
    assert saved_locale(app, email) is None  # chosen before login: this browser only


def test_saved_choice_follows_the_account_to_a_new_browser(app, region_client):
    email = new_member(app, "cianjur", "intake_officer@cianjur.demo")
    first = region_client("cianjur")
    first.login(email)
    first.post("/language", data={"locale": "en"})
    assert saved_locale(app, email) == "en"
    with app.app_context(), tenant_context(tenant("cianjur")):
        case = make_case("cianjur")
        db.session.commit()
        case_id = case.id
    other = region_client("cianjur")  # another browser, asking for Indonesian
    other.login(email)
    page = other.get(f"/cases/{case_id}", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "<strong>Citizen</strong>" in page and "<strong>Warga</strong>" not in page
    home = other.get("/home", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Welcome, Petugas Bahasa" in home and "Open the case inbox" in home


def test_an_unknown_language_is_refused(region_client):
    response = region_client("bekasi").post("/language", data={"locale": "fr"})
    assert response.status_code == 400


def test_a_cross_site_language_switch_needs_the_csrf_token(app, region_client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = region_client("bekasi").post("/language", data={"locale": "en"})
    assert response.status_code == 400


def test_next_cannot_leave_the_site(region_client):
    response = region_client("bekasi").post("/language?next=//evil.example/", data={"locale": "en"})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def test_numbers_and_dates_follow_the_locale(app):
    from datetime import datetime

    from app.dashboard.periods import formatted
    from app.templating import localtime

    moment = datetime(2026, 11, 22, 7, 5, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert (formatted(12345, "int"), formatted(60, "hours")) == ("12.345", "2,5 hari")
        assert localtime(moment) == "22-11-2026 14:05 WIB"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert (formatted(12345, "int"), formatted(60, "hours")) == ("12,345", "2.5 days")


@pytest.fixture()
def english_manager(app, tmp_path, monkeypatch):
    """Reports of the known region, requested by a manager who saved English."""
    from tests.helpers.reports import SLUG, build_known_data

    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    build_known_data(app)
    email = new_member(app, SLUG, f"manager@{SLUG}.demo")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.locale = "en"
        db.session.commit()
    return email, SLUG


def _report(app, client, fmt: str) -> bytes:
    from tests.helpers.reports import download_link, drain, request_report

    request_report(client, fmt)
    drain(app)
    page = client.get("/dashboard/reports").get_data(as_text=True)
    response = client.get(download_link(page))
    assert response.status_code == 200
    return response.data


def test_reports_are_written_in_the_requesters_language(app, region_client, english_manager):
    email, slug = english_manager
    client = region_client(slug)
    client.login(email)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=_report(app, client, "pdf"),
                          capture_output=True, check=True).stdout.decode()
    assert "SLRT Activity Report" in text and "Requested by" in text and "Annex 1." in text
    assert "Laporan Kegiatan" not in text and "Diminta oleh" not in text
    book = load_workbook(io.BytesIO(_report(app, client, "xlsx")), read_only=True)
    assert "Summary" in book.sheetnames and "Received by channel" in book.sheetnames
    labels = [row[0] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]]
    assert "Requested by" in labels and "Diminta oleh" not in labels
