"""Citations say whether the article states, implies or is silent on a rule, and whose regulation it is."""
import pytest

from app.reference.citations import Citation, from_yaml, normalise, to_yaml
from app.tenants.template import TemplateError, parse_template


def test_plain_text_is_a_stated_citation_of_the_regions_own_regulation():
    c = Citation.parse("Pasal 7 ayat (3) huruf e")
    assert (c.kind, c.regulation, c.text) == ("stated", "", "Pasal 7 ayat (3) huruf e")
    assert c.encode() == "Pasal 7 ayat (3) huruf e"


@pytest.mark.parametrize("stored", ["inferred: Pasal 7 huruf c", "stated@Permensos 15/2018: Pasal 4 ayat (1)",
                                    "local: ", "local@Perwal 61/2019: rapat sekretariat"])
def test_encoded_citations_round_trip(stored):
    c = Citation.parse(stored)
    assert Citation.parse(c.encode()) == c
    assert to_yaml(stored) != stored or c.kind == "stated"


def test_yaml_mapping_becomes_the_stored_string_and_back():
    stored, problems = from_yaml({"text": "Pasal 11", "kind": "inferred", "regulation": "Permensos 15/2018"}, "x")
    assert problems == []
    assert stored == "inferred@Permensos 15/2018: Pasal 11"
    assert to_yaml(stored) == {"text": "Pasal 11", "kind": "inferred", "regulation": "Permensos 15/2018"}


def test_bad_mapping_is_explained_at_its_entry():
    _stored, problems = from_yaml({"text": "", "kind": "guessed", "note": 1}, "sop.transitions[2] (approve)")
    assert len(problems) == 3
    assert all(p.startswith("sop.transitions[2] (approve): ") for p in problems)


def test_a_copied_citation_names_the_regulation_it_came_from():
    c = Citation.parse("Pasal 12 huruf b").elsewhere("Perwal Palembang 12/2021")
    assert c.encode() == "stated@Perwal Palembang 12/2021: Pasal 12 huruf b"
    assert Citation.parse("stated@Permensos 15/2018: Pasal 4").elsewhere("X").regulation == "Permensos 15/2018"


def test_plain_line_for_documents():
    assert Citation.parse("inferred@Permensos 15/2018: Pasal 4").plain() == "Pasal 4 (Permensos 15/2018) [disimpulkan]"


def test_normalise_walks_the_whole_document():
    doc = {"units": [{"key": "a", "legal_basis": {"text": "Pasal 1", "kind": "local"}}],
           "sop": {"transitions": [{"key": "t", "legal_basis": "Pasal 2"}]}}
    assert normalise(doc) == []
    assert doc["units"][0]["legal_basis"] == "local: Pasal 1"
    assert doc["sop"]["transitions"][0]["legal_basis"] == "Pasal 2"


def test_template_with_a_bad_citation_kind_is_refused_at_the_entry():
    from pathlib import Path

    text = Path("app/tenants/templates/bekasi.yaml").read_text(encoding="utf-8")
    text = text.replace("legal_basis: Pasal 4 ayat (1) huruf a\n",
                        "legal_basis: {text: Pasal 4 ayat (1) huruf a, kind: maybe}\n", 1)
    with pytest.raises(TemplateError) as err:
        parse_template(text, source="bekasi.yaml")
    assert any("maybe" in p and p.startswith("units[1]") for p in err.value.problems)
