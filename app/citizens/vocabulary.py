"""The codes the register side stores: a pre-list proposal's status."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class ProposalStatus(Vocabulary):
    """A pre-list proposal, from proposed to verified or rejected."""

    PROPOSED = "proposed", _l("Diusulkan")
    VERIFIED = "verified", _l("Terverifikasi")
    REJECTED = "rejected", _l("Ditolak")
