"""The citizen's receipt for a new case: an HTML page and its PDF."""
from __future__ import annotations

from io import BytesIO

from flask import render_template, send_file
from sqlalchemy.orm import selectinload

from app.accounts.auth import current_membership, staff_required
from app.blueprints.intake import bp
from app.casework.access import visible_case
from app.casework.models import Case
from app.extensions import db
from app.reports.pdf import RegionHeader
from app.reports.receipt import receipt_of, receipt_pdf, status_instructions
from app.tenancy.context import current_tenant


def _receipt(case_id):
    case = db.one_or_404(visible_case(current_membership, case_id, selectinload(Case.citizen),
                                      selectinload(Case.sop_version), selectinload(Case.events)))
    return case, receipt_of(case, current_tenant)


@bp.get("/cases/<uuid:case_id>/receipt")
@staff_required()
def receipt(case_id):
    """The receipt to hand the citizen: ticket, what happens next, how to check the status."""
    case, facts = _receipt(case_id)
    return render_template("intake/receipt.html", case=case, receipt=facts, how_to_check=status_instructions(facts))


@bp.get("/cases/<uuid:case_id>/receipt.pdf", endpoint="receipt_pdf")
@staff_required()
def receipt_document(case_id):
    """The receipt as a PDF to print (shown inline, named after the ticket)."""
    _case, facts = _receipt(case_id)
    document = receipt_pdf(facts, RegionHeader.of(current_tenant))
    return send_file(BytesIO(document), mimetype="application/pdf", as_attachment=False,
                     download_name=f"tanda-terima-{facts.ticket}.pdf")
