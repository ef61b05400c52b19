"""The referral letters of a case, as PDFs to print or send (Surat Rujukan)."""
from __future__ import annotations

from io import BytesIO

from flask import send_file
from sqlalchemy.orm import selectinload

from app.accounts.auth import current_membership, staff_required
from app.audit.log import record
from app.blueprints.cases import bp
from app.casework.access import visible_case
from app.casework.letters import letter_of
from app.casework.models import Case
from app.citizens.models import Citizen
from app.extensions import db
from app.reports.letter import letter_facts, letter_pdf
from app.templating import region_url
from app.tenancy.context import tenant_in_context
from app.tenants.letterhead import letterhead_of


@bp.get("/<uuid:case_id>/letters/<uuid:letter_id>.pdf", endpoint="referral_letter")
@staff_required()
def referral_letter(case_id, letter_id):
    """A referral letter of a case I may see, as a PDF (each download is audited)."""
    case = db.one_or_404(visible_case(current_membership, case_id,
                                      selectinload(Case.citizen).selectinload(Citizen.village)))
    letter = letter_of(case, letter_id)
    region = tenant_in_context()
    verify_url = region_url(region.slug, "public.verify_letter", token=letter.token)
    document = letter_pdf(letter_facts(letter, case, region, verify_url), letterhead_of(region))
    record("case.letter_download", "case", case.id, ticket=case.ticket, number=letter.number)
    name = "surat-rujukan-" + "".join(c if c.isalnum() else "-" for c in letter.number) + ".pdf"
    return send_file(BytesIO(document), mimetype="application/pdf", as_attachment=False, download_name=name)
