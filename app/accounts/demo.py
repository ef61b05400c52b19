"""Demo accounts for `make run`: one per position of each region, plus two platform users.

Never in production: `seed_demo` refuses when SLRT_ENV=production.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.accounts.models import Membership, MembershipArea, User
from app.extensions import db
from app.org.models import Position
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant

PLATFORM_DEMO = (
    ("admin@platform.demo", "Administrator Nasional (demo)", "national_admin"),
    ("auditor@platform.demo", "Auditor (demo)", "auditor"),
)


#: Given names for demo staff, so the org chart tells people apart.
DEMO_NAMES = (
    "Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Agus Setiawan", "Rina Marlina",
    "Hendra Gunawan", "Nur Aini", "Yusuf Hidayat", "Ratna Sari", "Fajar Nugroho",
    "Wulan Permata", "Eko Prasetyo", "Intan Maharani", "Rudi Hartono", "Lina Kusuma",
    "Dian Puspita", "Arif Rahman", "Maya Anggraini", "Teguh Wibowo", "Fitri Handayani",
)


def demo_email(role: str, n: int, slug: str) -> str:
    """`manager@payakumbuh.demo`; a second post with the same role gets `-2`."""
    return f"{role}@{slug}.demo" if n == 1 else f"{role}-{n}@{slug}.demo"


def _get_or_create_user(email: str, name: str, password: str, platform_role: str | None = None) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, platform_role=platform_role)
        user.set_password(password)
        db.session.add(user)
    return user


def seed_platform_users(password: str) -> list[str]:
    return [_get_or_create_user(email, name, password, role).email for email, name, role in PLATFORM_DEMO]


def _demo_area(tenant: Tenant) -> tuple[District, Village]:
    """The first district and its first village: the work area of the demo posts that need one."""
    district = db.session.scalar(
        select(District).where(District.regency_code == tenant.region_code).order_by(District.code)
    )
    village = db.session.scalar(
        select(Village).where(Village.district_code == district.code).order_by(Village.code)
    ) if district is not None else None
    if district is None or village is None:
        raise RuntimeError(f"Data kecamatan/kelurahan untuk kode wilayah {tenant.region_code} belum dimuat: "
                           "muat data referensi wilayah sebelum membuat akun demo.")
    return district, village


def seed_region_accounts(tenant: Tenant, password: str) -> list[tuple[str, str]]:
    """One account per position of `tenant`; returns (email, local title) pairs."""
    created = []
    with tenant_context(tenant):
        district, village = _demo_area(tenant)
        seen: Counter[str] = Counter()
        positions = db.session.scalars(select(Position).order_by(Position.sort_order)).all()
        for index, position in enumerate(positions):
            seen[position.role] += 1
            email = demo_email(position.role, seen[position.role], tenant.slug)
            name = f"{DEMO_NAMES[index % len(DEMO_NAMES)]} (demo)"
            user = _get_or_create_user(email, name, password)
            db.session.flush()
            exists = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
            if exists is None:
                membership = Membership(user=user, position=position)
                if position.area_level == "district":
                    membership.areas.append(MembershipArea(district_code=district.code))
                elif position.area_level == "village":
                    membership.areas.append(
                        MembershipArea(district_code=district.code, village_code=village.code)
                    )
                db.session.add(membership)
            created.append((email, position.title))
        db.session.flush()
    return created
