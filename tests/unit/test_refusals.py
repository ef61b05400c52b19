"""One base for refused operations (`app.errors.Refused`), answered once as 403/404/409/422."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from app import create_app
from app.errors import Conflict, Forbidden, Invalid, NotFound, Refused

APP = Path(__file__).resolve().parents[2] / "app"

#: Exception classes in app/ that are not refusals of an operation, and why.
NOT_REFUSALS = {
    "app.tenancy.scoping.CrossTenantWrite": "a programming error (a row written for another tenant): a 500, "
                                            "never an answer to the person",
    "app.tenancy.scoping.PlatformBindMissing": "a deployment error (no platform database role configured)",
    "app.accounts.mailer.PermanentFailure": "a mail delivery outcome inside the RQ job, recorded on the outbox row",
    "app.accounts.mailer.RetryLater": "a mail delivery outcome inside the RQ job: RQ retries it",
    "app.citizens.extract_read.FileProblem": "inside the extract reader: `dtks_import` turns it into "
                                             "RegisterImportError (Invalid) with the row",
}

#: The status each domain refusal is answered with.
EXPECTED_STATUS = {
    "app.casework.errors.StepNotAllowed": 403,
    "app.casework.errors.StaleCase": 409,
    "app.casework.errors.StepInvalid": 422,
    "app.tenants.importer.ImportRefused": 409,
    "app.dashboard.reporting.NotRetryable": 409,
    "app.org.operations.ConfigError": 422,
    "app.accounts.passwords.PasswordError": 422,
    "app.accounts.invitations.InvitationRefused": 422,
}


def _is_exception_base(base: ast.expr) -> bool:
    name = ast.unparse(base)
    return name.split(".")[-1].endswith(("Error", "Exception", "Refused", "Invalid", "Conflict", "NotAllowed",
                                         "Forbidden", "NotFound", "Account", "Case"))


def exception_classes(root: Path = APP) -> list[str]:
    """Dotted names of every class in app/ (app/errors.py aside) that derives from an exception."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == root / "errors.py":
            continue
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(_is_exception_base(b) for b in node.bases):
                found.append(f"{module}.{node.name}")
    return found


def _load(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def test_the_walk_finds_the_domain_exceptions():
    found = exception_classes()
    assert set(EXPECTED_STATUS) <= set(found) and set(NOT_REFUSALS) <= set(found)
    assert len(found) >= 17


def test_every_domain_exception_is_a_refusal_or_explained(app):
    stray = [name for name in exception_classes()
             if name not in NOT_REFUSALS and not issubclass(_load(name), Refused)]
    assert stray == [], f"subclass app.errors.Refused (or list in NOT_REFUSALS with a reason): {stray}"
    assert all(not issubclass(_load(name), Refused) for name in NOT_REFUSALS)


@pytest.mark.parametrize("name,status", sorted(EXPECTED_STATUS.items()))
def test_each_refusal_has_its_status(app, name, status):
    assert _load(name).status == status


def test_constructors_keep_their_signatures_and_carry_messages(app):
    from app.accounts.passwords import PasswordError
    from app.casework.errors import StaleCase, StepInvalid
    from app.org.operations import ConfigError

    assert PasswordError("Terlalu pendek.", "new_password").errors == {"new_password": ["Terlalu pendek."]}
    error = ConfigError({"": ["Unit masih dipakai."], "name": ["Nama wajib diisi."]})
    assert error.errors[""] == ["Unit masih dipakai."] and "Nama wajib diisi." in error.messages
    assert isinstance(StepInvalid({"note": ["Catatan wajib."]}), ValueError)  # still caught as before
    assert StaleCase("the case").case == "the case"


@pytest.fixture(scope="module")
def refusing_app(app):
    """A separately created app with test-only routes that raise refusals."""
    other = create_app({**{k: v for k, v in app.config.items() if k.isupper()}})
    raising = {
        "forbidden": Forbidden("Hanya manajer yang boleh."),
        "missing": NotFound("Laporan tidak ada."),
        "conflict": Conflict("Laporan sudah selesai."),
        "invalid": Invalid(errors={"": ["Berkas kosong."], "period": ["Periode tidak sah."]}),
        "bare": Conflict(),
    }

    def view(kind):
        raise raising[kind]

    other.add_url_rule("/_refuse/<kind>", "refuse", view, methods=["GET", "POST"])
    return other


@pytest.mark.parametrize("kind,status,text", [
    ("forbidden", 403, "Hanya manajer yang boleh."),
    ("missing", 404, "Laporan tidak ada."),
    ("conflict", 409, "Laporan sudah selesai."),
    ("invalid", 422, "Periode tidak sah."),
    ("bare", 409, "Data ini baru saja diubah oleh petugas lain."),  # no message: the status's own page
])
def test_a_refusal_escaping_a_view_is_answered_with_its_status_and_message(refusing_app, kind, status, text):
    response = refusing_app.test_client().get(f"/_refuse/{kind}", base_url=f"http://{refusing_app.config['BASE_DOMAIN']}")
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert text in body and "<html" in body


def test_htmx_gets_a_fragment_in_the_message_area(refusing_app):
    response = refusing_app.test_client().post("/_refuse/conflict", headers={"HX-Request": "true"},
                                               base_url=f"http://{refusing_app.config['BASE_DOMAIN']}")
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "Laporan sudah selesai." in body
    assert "<html" not in body and 'role="alert"' in body
    assert response.headers["HX-Retarget"] == "#page-message"


def test_a_refusal_from_an_operation_propagates_to_its_status(app, staff):
    """Retrying a finished report: the route lets `NotRetryable` through, answered 409 with its message."""
    from sqlalchemy import select

    from app.accounts.models import User
    from app.dashboard.models import ReportJob
    from app.extensions import db
    from tests.helpers.regions import in_region

    def finished_job():
        user = db.session.scalar(select(User).where(User.email == "manager@bekasi.demo"))
        job = ReportJob(kind="monthly", period="2025-01", format="pdf", requested_by=user.id, status="done")
        db.session.add(job)
        db.session.flush()
        return job.id

    job_id = in_region(app, "bekasi", finished_job)
    response = staff("manager", "bekasi").post(f"/dashboard/reports/{job_id}/retry")
    assert response.status_code == 409
    assert "Hanya laporan yang gagal" in response.get_data(as_text=True)
