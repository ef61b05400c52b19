"""Village search: numerals and number words are one (22 ↔ dua puluh dua), hyphens are spaces."""
import pytest

from app.reference.search import find_villages, search_key


@pytest.mark.parametrize(("text", "key"), [
    ("Dua-puluh-dua Ilir", "22 ilir"),
    ("22 Ilir", "22 ilir"),
    ("dua puluh dua ilir", "22 ilir"),
    ("Tiga Empat Ulu", "3 4 ulu"),
    ("3-4 Ulu", "3 4 ulu"),
    ("Sebelas Ulu", "11 ulu"),
    ("Dua-belas Ulu", "12 ulu"),
    ("Sepuluh Ilir", "10 ilir"),
    ("Dua-puluh Ilir Satu", "20 ilir 1"),
    ("Seratus dua puluh lima", "125"),
    ("  Sukamaju  ", "sukamaju"),
    ("Bekasi Jaya", "bekasi jaya"),
])
def test_search_key(text, key):
    assert search_key(text) == key


def test_22_ilir_finds_the_official_name(app_ctx):
    found = find_villages("22 Ilir", "16.71")
    assert [v.name for v in found] == ["Dua-puluh-dua Ilir"]


def test_words_find_numerals_too(app_ctx):
    assert "Tiga Empat Ulu" in [v.name for v in find_villages("3-4 ulu", "16.71")]


def test_part_of_a_name_is_enough_and_other_regions_stay_out(app_ctx):
    names = [v.name for v in find_villages("ilir", "16.71")]
    assert "Dua-puluh-dua Ilir" in names and len(names) <= 50
    assert find_villages("22 ilir", "32.75") == []


def test_a_search_for_villages_at_intake(app, staff):
    page = staff("intake_officer", "palembang").get("/intake/villages?village_q=22+ilir").get_data(as_text=True)
    assert "Dua-puluh-dua Ilir" in page and "<option" in page and "Tiga Empat Ulu" not in page
