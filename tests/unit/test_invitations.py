"""Invitations: a link per person, valid once, only at the host it was made for."""
from sqlalchemy import select

from app.accounts.invitations import create_invitation
from app.accounts.models import Membership, User
from app.accounts.outbox import OutboundEmail
from app.accounts.passwords import MIN_LENGTH
from app.extensions import db
from app.org.models import Position
from app.tenancy.context import tenant_context
from tests.factories import tenant, village_of


def _invite(email, slug="bekasi", role="facilitator"):
    region = tenant(slug)
    with tenant_context(region):
        position = db.session.scalar(select(Position).where(Position.role == role))
        village = village_of(slug)
        _inv, link = create_invitation(email, "Petugas Baru", tenant=region, position=position,
                                       areas=[(village.district_code, village.code)])
        db.session.commit()
    return link.rsplit("/", 1)[1]


def _bekasi_invitation():
    return {"token": _invite("lintas@uji.id")}


CROSS_TENANT = {"auth.accept_invitation": ("GET", _bekasi_invitation)}


def test_invited_staff_member_sets_password_and_lands_in_region(app, region_client):
    with app.app_context():
        token = _invite("fasilitator.baru@uji.id")
        mail = db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == "fasilitator.baru@uji.id"))
        assert token not in mail.body and "tidak disimpan" in mail.body  # the link is only in the message sent
    client = region_client("bekasi")
    assert client.get(f"/invite/{token}").status_code == 200
    response = client.post(f"/invite/{token}", data={"name": "Rahmat Hidayat", "password": "gerobak-lampu-senja-41",
                                                      "confirm": "gerobak-lampu-senja-41"})
    assert response.status_code == 302
    page = client.get("/home").get_data(as_text=True)
    assert "Rahmat Hidayat" in page and "Wilayah kerja" in page
    assert client.get(f"/invite/{token}").status_code == 404  # used once
    with app.app_context(), tenant_context(tenant("bekasi")):
        user = db.session.scalar(select(User).where(User.email == "fasilitator.baru@uji.id"))
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert membership.position.role == "facilitator" and membership.areas[0].village_code


def test_weak_or_mismatched_password_is_refused_at_the_field(app, region_client):
    with app.app_context():
        token = _invite("lemah@uji.id")
    client = region_client("bekasi")
    response = client.post(f"/invite/{token}", data={"name": "A", "password": "pendek", "confirm": "lain"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"minimal {MIN_LENGTH} karakter" in page and "tidak sama" in page


def test_invitation_is_valid_only_at_its_region(app, region_client):
    with app.app_context():
        token = _invite("salah.host@uji.id")
    assert region_client("cianjur").get(f"/invite/{token}").status_code == 404
    assert region_client(None).get(f"/invite/{token}").status_code == 404


def test_unknown_token_is_404(region_client):
    response = region_client("bekasi").get("/invite/bukan-token")
    assert response.status_code == 404 and "Undangan tidak berlaku" in response.get_data(as_text=True)
