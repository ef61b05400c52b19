"""A citation on a page (the `citation` filter) and in a form (the `CitationField` and its macro)."""
import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import DataRequired, Optional

from app.reference.citation_form import CitationField
from app.reference.citations import citation_html, citation_plain, cited_elsewhere, for_yaml


def _render(stored, **kw):
    return render_template_string("{{ value | citation(**kw) }}", value=stored, kw=kw)


def test_a_stated_citation_of_the_own_regulation_is_its_text_and_a_badge(app_ctx):
    html = _render("Pasal 7 ayat (3) huruf e")
    assert '<span class="citation-text">Pasal 7 ayat (3) huruf e</span>' in html
    assert 'class="citation-kind citation-stated"' in html and ">tertulis<" in html
    assert 'title="Pasal yang dikutip menyatakannya"' in html
    assert "citation-regulation" not in html


def test_inferred_and_local_say_so_and_another_regulation_is_named(app_ctx):
    html = _render("inferred@Permensos 15/2018: Pasal 11")
    assert ">disimpulkan<" in html and "citation-inferred" in html
    assert '<span class="citation-regulation">(Permensos 15/2018)</span>' in html
    local = _render("local: ")
    assert ">kebijakan setempat<" in local and "citation-text" not in local


def test_the_own_regulation_is_not_named_even_when_stored(app_ctx):
    assert "citation-regulation" not in _render("stated@Perbup Uji 1/2026: Pasal 2", own="Perbup Uji 1/2026")
    assert "(Perbup Uji 1/2026)" in _render("stated@Perbup Uji 1/2026: Pasal 2", own="Perwal Lain 3/2020")


def test_an_empty_citation_is_a_dash(app_ctx):
    assert "—" in _render("") and "citation-kind" not in _render(None)


def test_everything_a_person_typed_is_escaped(app_ctx):
    html = _render('inferred@Perda <b>x</b>: Pasal 1 <script>alert("x")</script>')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html and "(Perda &lt;b&gt;x&lt;/b&gt;)" in html
    assert "<script>" not in str(citation_html("<script>", own=""))


def test_plain_lines_for_documents_and_diffs():
    assert citation_plain("") == ""
    assert citation_plain("Pasal 3") == "Pasal 3"
    assert citation_plain("local: rapat tim") == "rapat tim [kebijakan setempat]"


def test_document_helpers_copy_and_leave_the_original_alone():
    doc = {"units": [{"key": "a", "legal_basis": "inferred: Pasal 1"}, {"key": "b", "legal_basis": "Pasal 2"}],
           "sop": {"transitions": [{"key": "t", "legal_basis": "local: "}]}}
    assert for_yaml(doc)["units"][0]["legal_basis"] == {"text": "Pasal 1", "kind": "inferred"}
    assert for_yaml(doc)["units"][1]["legal_basis"] == "Pasal 2"
    copied = cited_elsewhere(doc, "Perwal Asal 1/2020")
    assert copied["units"][1]["legal_basis"] == "stated@Perwal Asal 1/2020: Pasal 2"
    assert copied["sop"]["transitions"][0]["legal_basis"] == "local: "  # no article: nothing to attribute
    assert doc["units"][1]["legal_basis"] == "Pasal 2"


# --- the form field -------------------------------------------------------------------------------


class Required(Form):
    legal_basis = CitationField("Dasar hukum", validators=[DataRequired("Dasar hukum wajib diisi.")])


class Maybe(Form):
    legal_basis = CitationField("Dasar hukum", validators=[Optional()])


def _post(form_class, text, kind=None, regulation=""):
    data = {"legal_basis": text}
    if kind is not None:
        data |= {"legal_basis-kind": kind, "legal_basis-regulation": regulation}
    form = form_class(MultiDict(data))
    return form, form.validate()


@pytest.mark.parametrize("kind, regulation, stored", [
    ("stated", "", "Pasal 8 ayat (4)"),
    ("inferred", "", "inferred: Pasal 8 ayat (4)"),
    ("local", "", "local: Pasal 8 ayat (4)"),
    ("stated", "Permensos 15/2018", "stated@Permensos 15/2018: Pasal 8 ayat (4)"),
    ("inferred", "  Permensos   15/2018 ", "inferred@Permensos 15/2018: Pasal 8 ayat (4)"),
])
def test_each_kind_is_stored_as_one_string(app_ctx, kind, regulation, stored):
    form, ok = _post(Required, "  Pasal 8   ayat (4) ", kind, regulation)
    assert ok, form.errors
    assert form.legal_basis.data == stored


def test_only_local_policy_may_go_without_an_article(app_ctx):
    form, ok = _post(Required, "", "local")
    assert ok and form.legal_basis.data == "local: "
    form, ok = _post(Required, "", "stated")
    assert not ok and form.legal_basis.errors == ["Dasar hukum wajib diisi."]
    for kind, regulation in (("inferred", ""), ("stated", "Permensos 15/2018")):
        form, ok = _post(Maybe, "", kind, regulation)
        assert not ok and "kebijakan setempat" in form.legal_basis.errors[0]
    form, ok = _post(Maybe, "", "stated")
    assert ok and form.legal_basis.data == ""


def test_bad_choices_are_refused_in_indonesian(app_ctx):
    form, ok = _post(Required, "Pasal 1", "guessed")
    assert not ok and form.legal_basis.errors == ["Pilih jenis dasar hukum dari daftar."]
    form, ok = _post(Required, "Pasal 1", "stated", "Perwal: 3")
    assert not ok and "titik dua" in form.legal_basis.errors[0]
    form, ok = _post(Required, "inferred: Pasal 1", "stated")
    assert not ok and "jenis dan peraturan dipilih di sampingnya" in form.legal_basis.errors[0]


def test_a_post_without_the_kind_input_is_read_as_a_stored_string(app_ctx):
    form, ok = _post(Required, "inferred@Permensos 15/2018: Pasal 4")
    assert ok and (form.legal_basis.kind, form.legal_basis.regulation, form.legal_basis.text) == \
        ("inferred", "Permensos 15/2018", "Pasal 4")


def test_prefill_splits_the_stored_string(app_ctx):
    form = Required(data={"legal_basis": "local@Perwal 61/2019: rapat sekretariat"})
    assert (form.legal_basis.text, form.legal_basis.kind, form.legal_basis.regulation) == \
        ("rapat sekretariat", "local", "Perwal 61/2019")
    assert form.legal_basis.data == "local@Perwal 61/2019: rapat sekretariat"


PAGE = '{% from "_form_macros.html" import field %}{{ field(form.legal_basis) }}'


def test_the_macro_draws_text_kind_and_regulation_and_keeps_what_was_typed(app_ctx):
    form, ok = _post(Maybe, "", "inferred", 'Perda "<x>"')
    assert not ok
    html = render_template_string(PAGE, form=form)
    assert '<select id="legal_basis-kind" name="legal_basis-kind" aria-invalid="true">' in html
    assert '<option value="inferred" title="' in html and 'value="inferred" title="Disimpulkan' in html
    assert 'selected>disimpulkan</option>' in html
    assert 'name="legal_basis-regulation" value="Perda &#34;&lt;x&gt;&#34;"' in html
    assert 'id="legal_basis-error"' in html and 'aria-describedby="legal_basis-error' in html
    assert "Jenis dasar hukum" in html and "Peraturan lain" in html


def test_the_macro_prefills_from_the_stored_string(app_ctx):
    html = render_template_string(PAGE, form=Required(data={"legal_basis": "stated@Permensos 15/2018: Pasal 4"}))
    assert '<input id="legal_basis" name="legal_basis" type="text" value="Pasal 4">' in html
    assert 'value="stated" title="Pasal yang dikutip menyatakannya" selected>' in html
    assert 'value="Permensos 15/2018"' in html


def test_a_longer_basis_keeps_its_lines(app_ctx):
    form, ok = _post(Required, "  Perwal 12/2024  tentang  X\r\n\r\n Pasal 3 ", "local")
    assert ok and form.legal_basis.data == "local: Perwal 12/2024 tentang X\nPasal 3"
