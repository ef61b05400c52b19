"""The platform console on the apex domain (national administrator, auditors).

Route modules: `regions` (list, detail, lifecycle), `onboarding` (the wizard), `users`
(platform users), `trail` (audit trail and its CSV), `compare` (cross-region comparison, its
exports and the national trends), `region_figures` (one region's figures, the comparison's drill-down).
National administrators may do everything; auditors only read, and each page they view or
file they download is itself recorded in the platform audit log (on the primary).

Its pages read the read replica when one is configured (`app.tenancy.reads`), except those
marked `@reads_primary`: a region's page and the platform users, where the forms that change
them redirect to.
"""
from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.tenancy.reads import replica_reads

bp = Blueprint("platform", __name__, url_prefix="/console")
replica_reads(bp)

#: What a region's lifecycle events are called on its page.
LIFECYCLE_LABELS = {"region.onboard": _l("Didaftarkan (persiapan)"), "region.activate": _l("Diaktifkan (tayang)"),
                    "region.suspend": _l("Ditangguhkan"), "region.reactivate": _l("Diaktifkan kembali"),
                    "region.rename": _l("Subdomain diganti"),
                    "region.alias_remove": _l("Alamat lama tidak dialihkan lagi")}

#: Endpoints whose GET is a download rather than a page view (for the auditor log).
DOWNLOADS = {"platform.audit_csv", "platform.compare_xlsx", "platform.compare_csv"}


@bp.after_request
def record_auditor_reads(response):
    """Every page an auditor opens and every file they download is in the audit log."""
    if (request.method == "GET" and response.status_code < 400 and current_user.is_authenticated
            and current_user.platform_role == "auditor"):
        from app.platform.audit import record_platform

        action = "auditor.download" if request.endpoint in DOWNLOADS else "auditor.view"
        record_platform(action, object_type="page", object_id=request.endpoint or "",
                        path=request.full_path.rstrip("?"))
    return response


@bp.app_context_processor
def platform_navigation():
    """`is_national_admin` for the apex navigation."""
    def is_national_admin() -> bool:
        return current_user.is_authenticated and current_user.platform_role == "national_admin"

    def starting_point(source: str) -> str:
        """`permensos_15_2018.yaml` / `salinan:cianjur` / an uploaded file name, in words."""
        if source.startswith("permensos_15_2018"):
            return str(_l("Struktur SLRT kosong (Permensos 15/2018)"))
        if source.startswith("salinan:"):
            return str(_l("Salinan struktur %(slug)s", slug=source.split(":", 1)[1]))
        return source

    return {"is_national_admin": is_national_admin, "lifecycle_labels": LIFECYCLE_LABELS,
            "starting_point": starting_point}


from app.blueprints.platform import (  # noqa: E402,F401
    compare,
    help_pages,
    onboarding,
    region_figures,
    region_read,
    regions,
    rescue,
    trail,
    users,
)
