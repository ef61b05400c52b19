"""Audit actions in words: every action the code records has an Indonesian label, and the
console filters by picking one from a list rather than typing an internal code."""
from __future__ import annotations

import re
from pathlib import Path

from tests.helpers.platform import region_event, rows_of, unique_slug

APP = Path(__file__).resolve().parents[2] / "app"
RECORDED = re.compile(r"""(?:record|record_platform|record_here|audit)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
# Codes chosen in a conditional: `action = "region.x" if … else "region.y"`.
CHOSEN = re.compile(r"""(?:action\s*=\s*|\belse\s+)["']([a-z_]+\.[a-z_.]+)["']""")


def recorded_actions() -> set[str]:
    """Every action code written literally in the application's source."""
    found = set()
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(RECORDED.findall(text)) | set(CHOSEN.findall(text))
    return found


def test_every_recorded_action_has_an_indonesian_label(app_ctx):
    from app.platform.audit_labels import ACTION_LABELS

    actions = recorded_actions()
    assert {"auth.login", "auth.login_failed", "auth.logout", "account.password_change",
            "config.export", "access.refused", "case.open"} <= actions
    missing = sorted(actions - set(ACTION_LABELS))
    assert not missing, f"actions without a label: {missing}"
    assert all(str(label) and str(label) != code for code, label in ACTION_LABELS.items())


def test_action_filter_is_a_list_of_labels(app, admin):
    page = admin.get("/console/audit").get_data(as_text=True)
    assert '<select name="action"' in page and '<input type="search" name="action"' not in page
    assert '<option value="auth.login_failed"' in page and "Gagal masuk" in page


def test_action_filter_picks_one_action_and_shows_its_label(app, admin):
    actor = f"{unique_slug('label')}@uji.id"
    region_event(app, "bekasi", actor, action="case.open")
    region_event(app, "bekasi", actor, action="case.step")
    response = admin.get(f"/console/audit?actor={actor}&action=case.open")
    assert "1 kejadian" in response.get_data(as_text=True)
    assert "Pengaduan dicatat" in rows_of(response) and "Langkah kasus" not in rows_of(response)


def test_unknown_action_code_is_refused(admin):
    response = admin.get("/console/audit?action=case.")
    assert response.status_code == 422 and "Pilih tindakan dari daftar." in response.get_data(as_text=True)
