"""Hostile YAML uploads (region import, onboarding wizard) are refused quickly and cheaply.

A "billion laughs" document is small on disk but expands enormously when something walks
it; deep nesting overflows a recursive composer; an oversized file wastes a worker. Each is
refused with an Indonesian message at the file field, and memory stays small.
"""
from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

from app.tenants.template import MAX_TEMPLATE_BYTES, TemplateError, load_yaml, parse_template
from tests.helpers.platform import WIZARD_URL, blank_data

TEMPLATES = sorted(Path("app/tenants/templates").glob("*.yaml")) + sorted(
    Path("app/tenants/starting_points").glob("*.yaml"))


def billion_laughs(levels: int = 9) -> str:
    """The classic: each level lists the previous one nine times (9**levels strings)."""
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines += ["format: 1", "region:", "  code: '32.75'", "  terminology:", f"    bom: *a{levels}"]
    return "\n".join(lines) + "\n"


def _peak_mb(action) -> tuple[float, object]:
    tracemalloc.start()
    try:
        result = action()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1e6, result


def _refusal(text: str) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="bom.yaml")
    return caught.value


def test_billion_laughs_is_refused_before_it_expands(app_ctx):
    text = billion_laughs(7)  # 4.8 million strings if expanded; the full one is below
    peak, refused = _peak_mb(lambda: _refusal(text))
    assert peak < 10, f"{peak:.1f} MB used to refuse a {len(text)}-byte file"
    assert "alias" in " ".join(refused.problems)


def test_the_full_billion_laughs_is_refused_with_the_message(app_ctx):
    text = billion_laughs(9)
    assert len(text) < 2000
    peak, refused = _peak_mb(lambda: _refusal(text))
    assert any("berlipat" in p and "alias" in p for p in refused.problems), refused.problems
    assert peak < 10


def test_a_recursive_alias_is_refused(app_ctx):
    refused = _refusal("format: 1\nregion: &r\n  terminology: {a: *r}\n")
    assert refused.problems


def test_deep_nesting_is_refused_without_a_crash(app_ctx):
    deep = "format: 1\nregion: " + "[" * 5000 + "]" * 5000 + "\n"
    refused = _refusal(deep)
    assert any("terlalu dalam" in p for p in refused.problems), refused.problems


def test_an_oversized_text_is_refused_before_parsing(app_ctx):
    big = "format: 1\n" + "# isi\n" * (MAX_TEMPLATE_BYTES // 6 + 10)
    refused = _refusal(big)
    assert any("terlalu besar" in p for p in refused.problems), refused.problems


def test_a_document_with_too_many_entries_is_refused(app_ctx):
    crowded = "format: 1\nregion: [" + ", ".join(["1"] * 30_000) + "]\n"
    assert len(crowded.encode()) < MAX_TEMPLATE_BYTES
    refused = _refusal(crowded)
    assert any("lebih dari 20000 unsur" in p for p in refused.problems), refused.problems


def test_non_text_values_are_not_turned_into_text(app_ctx):
    """A list where a name belongs is reported, not stringified into the region."""
    text = Path("app/tenants/templates/cianjur.yaml").read_text(encoding="utf-8")
    text = text.replace("terminology:", "terminology:\n    aneh: [1, 2, 3]", 1)
    refused = _refusal(text)
    assert any("terminology" in p for p in refused.problems), refused.problems


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_shipped_templates_fit_well_inside_the_limits(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.encode()) < MAX_TEMPLATE_BYTES // 4
    assert isinstance(load_yaml(text, path.name), dict)


def test_wizard_upload_of_a_bomb_is_refused_at_the_file_field(region_client, app_ctx):
    admin = region_client(None)
    admin.login("admin@platform.demo")
    form = {**blank_data(start="upload", slug="").hidden(), "step": "2",
            "template_file": (io.BytesIO(billion_laughs(9).encode()), "bom.yaml")}
    peak, response = _peak_mb(lambda: admin.post(WIZARD_URL, data=form, content_type="multipart/form-data"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="template_file-error"' in page and "alias" in page
    assert peak < 30


def test_wizard_hidden_field_cannot_smuggle_a_bomb(region_client, app_ctx):
    """The upload travels between steps as base64 in the form: it is parsed with the same limits."""
    import base64

    admin = region_client(None)
    admin.login("admin@platform.demo")
    bomb = base64.b64encode(billion_laughs(9).encode()).decode()
    data = blank_data(start="upload", template_b64=bomb, template_name="bom.yaml")
    for step in (2, 3, 4):
        peak, response = _peak_mb(lambda step=step: admin.post(WIZARD_URL, data={**data.hidden(), "step": str(step)},
                                                               content_type="multipart/form-data"))
        assert response.status_code == 422 and "alias" in response.get_data(as_text=True)
        assert peak < 30


def test_region_import_of_a_bomb_is_refused_at_the_field(staff):
    client = staff("manager", "cianjur")
    peak, response = _peak_mb(lambda: client.post(
        "/settings/transfer/preview", content_type="multipart/form-data",
        data={"file": (io.BytesIO(billion_laughs(9).encode()), "bom.yaml")}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Berkas ditolak" in page and "alias" in page
    assert peak < 30
