"""Bare extension instances, bound to the app in `create_app`, and the schema conventions."""
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import CheckConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Vocabulary(StrEnum):
    """A closed set of codes stored in a String column, each member with its UI label.

    Members are written `CODE = "code", _l("Label")`; `check("column")` is the CHECK constraint
    that keeps the column to the members, generated from them (a new member needs a migration).
    """

    label: Any  # the UI label (a lazy string), set per member below; not a member itself

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    @classmethod
    def labels(cls) -> dict[str, object]:
        """code → label, in definition order (form choices, label look-ups)."""
        return {m.value: m.label for m in cls}

    @classmethod
    def label_of(cls, code) -> str:
        """The label of `code`, or the code itself when it is not (or no longer) a member."""
        return str(cls.labels().get(code, code))

    @classmethod
    def check(cls, name: str, *also: str) -> CheckConstraint:
        """`name IN (members…, also…)`, named `ck_<table>_<name>`; pass it to `mapped_column`."""
        codes = [m.value for m in cls] + list(also)
        assert all(code.isidentifier() or code == "" for code in codes), codes  # safe to quote as is
        return CheckConstraint(f"{name} IN ({', '.join(repr(str(c)) for c in codes)})", name=name,
                               info={"vocabulary": cls, "column": name, "also": also})


db = SQLAlchemy(model_class=Base)

# The base class of every model. At run time it is `db.Model` (Base plus Flask-SQLAlchemy's bind
# and table-name mixins); mypy cannot take a base class from an instance attribute
# (python/mypy#8603), so the checker is shown Base, which gives models their typed SQLAlchemy API.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()


def upsert_insert(dialect: str):
    """The `insert` construct with ON CONFLICT for the database in use: PostgreSQL's, else SQLite's."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if dialect == "postgresql" else sqlite.insert
