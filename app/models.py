"""Every model module, imported once so metadata and migrations see all tables."""
from app.accounts.models import Membership, MembershipArea, User  # noqa: F401
from app.org.models import OrgUnit, Position  # noqa: F401
from app.reference.models import District, Province, Regency, Village  # noqa: F401
from app.tenants.models import Tenant  # noqa: F401
