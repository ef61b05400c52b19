"""Labels a page reads many times are made once per request, and still follow what changes within it:
the region's own service areas, the language (an email in the recipient's language), the time zone."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template_string
from flask_babel import force_locale

from app.extensions import db
from app.platform.audit_labels import ACTION_LABELS, action_choices
from app.templating import localtime
from app.tenancy.context import tenant_context
from tests.factories import tenant

AREAS = "{{ SERVICE_AREAS.get('uji_area', '-') }}|{{ SERVICE_AREAS['kesehatan'] }}"


def test_service_areas_follow_the_regions_own_areas_and_the_language_within_one_request(app):
    with app.test_request_context(headers={"Accept-Language": "id"}), tenant_context(tenant("bekasi")) as region:
        before = render_template_string(AREAS)
        region.own_service_areas = [*(region.own_service_areas or []),
                                    {"key": "uji_area", "label": "Bidang Uji", "maps_to": "sosial"}]
        after = render_template_string(AREAS)
        with force_locale("en"):
            english = render_template_string(AREAS)
        again = render_template_string(AREAS)
        db.session.rollback()
    assert (before, after, english, again) == ("-|Kesehatan", "Bidang Uji|Kesehatan", "Bidang Uji|Health",
                                               "Bidang Uji|Kesehatan")


def test_service_areas_of_one_region_are_not_shown_in_another(app):
    with app.test_request_context():
        with tenant_context(tenant("bekasi")) as region:
            region.own_service_areas = [{"key": "uji_area", "label": "Bidang Bekasi", "maps_to": "sosial"}]
            bekasi = render_template_string(AREAS)
        with tenant_context(tenant("cianjur")):
            cianjur = render_template_string(AREAS)
        db.session.rollback()
    assert bekasi.startswith("Bidang Bekasi|") and cianjur.startswith("-|")


def test_the_audit_trails_action_filter_is_in_the_requests_language(app):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        indonesian = dict(action_choices())
        with force_locale("en"):
            english = dict(action_choices())
        assert dict(action_choices()) == indonesian
    assert set(indonesian) == set(ACTION_LABELS)
    assert indonesian["auditor.download"] == "Auditor mengunduh berkas" != english["auditor.download"]
    assert list(indonesian.values()) == sorted(indonesian.values())


def test_local_time_crosses_midnight_into_the_next_day_and_month(app):
    with_zone = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    naive = datetime(2026, 11, 30, 17, 30)  # stored without a zone: read as UTC
    with app.test_request_context():
        assert localtime(with_zone) == localtime(naive) == "01-12-2026 00:30 WIB"
        assert localtime(None) == ""
