"""Every model module, imported once so metadata and migrations see all tables."""
from app.accounts.invitations import Invitation  # noqa: F401
from app.accounts.models import Membership, MembershipArea, User  # noqa: F401
from app.accounts.outbox import OutboundEmail  # noqa: F401
from app.accounts.partner_members import PartnerMembership  # noqa: F401
from app.accounts.password_reset import PasswordReset  # noqa: F401
from app.api.models import ApiToken, Webhook, WebhookDelivery  # noqa: F401
from app.attachments.models import Attachment  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.casework.letters import LetterCounter, ReferralLetter  # noqa: F401
from app.casework.models import Case, CaseEvent, Partner, Referral, SopVersion, TicketCounter  # noqa: F401
from app.citizens.import_jobs import RegisterImportJob  # noqa: F401
from app.citizens.models import Citizen, RegisterEntry, RegisterHousehold, RegisterImport  # noqa: F401
from app.dashboard.models import CaseRollup, CitizenProgram, PlatformReportJob, ReportJob  # noqa: F401
from app.monitoring.models import (  # noqa: F401
    ActivityPlan,
    BudgetLine,
    BudgetSpending,
    EvaluationNote,
    PlanActivity,
)
from app.notices.models import Notice, NoticePreference  # noqa: F401
from app.org.models import OrgUnit, Position  # noqa: F401
from app.platform.models import PlatformAuditEvent  # noqa: F401
from app.programs.models import Need, Participation, Program, Ranking, RankingEntry  # noqa: F401
from app.reference.models import District, Province, Regency, Village  # noqa: F401
from app.reports.models import ReportSchedule, ReportSettings  # noqa: F401
from app.reviews.models import ReviewStep  # noqa: F401
from app.tenancy.models import Tenant, TenantAlias  # noqa: F401
from app.tenants.letterhead import Letterhead  # noqa: F401
from app.verval.counters import BatchCounter  # noqa: F401
from app.verval.models import DataUpdate, ExportBatch  # noqa: F401
