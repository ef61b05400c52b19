"""GET /api/v1/programs: the region's catalogue for its other systems, with a token of that region only."""
from __future__ import annotations

from app.programs.catalogue import seed_national_programs
from tests.helpers.api import bearer, make_token
from tests.helpers.regions import in_region


def _get(region_client, slug, path, raw=None):
    client = region_client(slug)
    return client.client.get(path, base_url=client.base_url, headers=bearer(raw) if raw else {})


def test_a_read_token_lists_the_catalogue_with_criteria_as_data_and_words(app, region_client):
    in_region(app, "bekasi", seed_national_programs)
    raw = make_token(app, "bekasi", "read")
    response = _get(region_client, "bekasi", "/api/v1/programs", raw)
    assert response.status_code == 200
    items = {p["code"]: p for p in response.get_json()["items"]}
    pkh = items["PKH"]
    assert pkh["level"] == "national" and pkh["register_flag"] == "pkh"
    assert pkh["criteria"][0] == {"attribute": "decile", "op": "le", "value": 4, "text": "Desil kesejahteraan paling "
                                  "tinggi 4", "legal_basis": pkh["criteria"][0]["legal_basis"]}
    national = _get(region_client, "bekasi", "/api/v1/programs?level=national", raw).get_json()["items"]
    assert {p["level"] for p in national} == {"national"}
    assert _get(region_client, "bekasi", "/api/v1/programs?level=galaxy", raw).status_code == 422


def test_no_token_or_another_regions_token_is_401(app, region_client):
    assert _get(region_client, "bekasi", "/api/v1/programs").status_code == 401
    other = make_token(app, "cianjur", "read")
    assert _get(region_client, "bekasi", "/api/v1/programs", other).status_code == 401
    write = make_token(app, "bekasi", "write")
    assert _get(region_client, "bekasi", "/api/v1/programs", write).status_code == 200
