"""Password policy and changing one's own password.

Policy (OWASP ASVS 5.0, 6.2): at least `MIN_LENGTH` characters and not common or easily
guessed. Guessability is zxcvbn's estimate (Dropbox's strength estimator: dictionaries of
common passwords, names and words, keyboard patterns, dates, repeats and sequences) with a
score of at least `MIN_SCORE` = 3 of 4, i.e. roughly 10^8 guesses or more; the words of
the service, the region and the person's own name and email are added as guessable words.
"""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

from app.accounts.models import User
from app.accounts.sessions import PASSWORD_CHANGED, end_sessions
from app.errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 128  # ASVS asks to allow at least 64
ZXCVBN_MAX = 72  # zxcvbn refuses longer input (its work grows with length): the first 72 are judged
MIN_SCORE = 3
#: Words that a guesser of an SLRT password tries first (zxcvbn's lists are English).
LOCAL_WORDS = ("slrt", "cloud", "sandi", "katasandi", "rahasia", "indonesia", "merdeka", "jakarta", "bismillah",
               "sayang", "cinta", "puskesos", "dinsos", "sosial", "kemiskinan", "admin", "petugas")


class PasswordError(Invalid):
    """A password change refused; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str):
        super().__init__(message, {field: [message]})
        self.field = field


def password_problem(password: str, context: list[str] | tuple[str, ...] = ()) -> str | None:
    """Why `password` is not acceptable (in Indonesian), or None if it is."""
    if len(password) < MIN_LENGTH:
        return _("Kata sandi minimal %(n)s karakter.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Kata sandi paling panjang %(n)s karakter.", n=MAX_LENGTH)
    words = [w for w in (*LOCAL_WORDS, *_here_words(), *_split(context)) if w]
    if zxcvbn(password[:ZXCVBN_MAX], user_inputs=words)["score"] < MIN_SCORE:
        return _("Kata sandi ini terlalu umum atau mudah ditebak (mis. kata umum, nama, tanggal, urutan "
                 "angka/huruf, atau nama daerah). Gunakan gabungan beberapa kata yang tidak berhubungan.")
    return None


def _split(values) -> list[str]:
    """An email or a name as the words a guesser would try ('budi.santoso@bekasi.go.id' → budi, santoso…)."""
    out = []
    for value in values:
        value = (value or "").lower()
        out.append(value)
        out.extend(part for part in value.replace("@", " ").replace(".", " ").replace("-", " ").split() if part)
    return out


def _here_words() -> list[str]:
    from app.tenancy.context import current_tenant

    if current_tenant:
        return _split([current_tenant.slug, current_tenant.name, current_tenant.service_name])
    return []


class PasswordPolicy:
    """WTForms validator: the policy above. `context_fields` name fields whose values count as guessable."""

    def __init__(self, *context_fields: str):
        self.context_fields = context_fields

    def __call__(self, form, field) -> None:
        context = [str(form[name].data or "") for name in self.context_fields if name in form]
        problem = password_problem(field.data or "", context)
        if problem:
            raise ValidationError(problem)


def change_password(user: User, current: str, new: str, *, keep_session: uuid.UUID | None) -> None:
    """Change the user's own password; every other session of theirs ends, this one stays."""
    from app.platform.audit import record_here

    if not user.check_password(current):
        raise PasswordError(_("Kata sandi saat ini salah."), "current_password")
    problem = password_problem(new, [user.email, user.name])
    if problem:
        raise PasswordError(problem, "new_password")
    if new == current:
        raise PasswordError(_("Kata sandi baru harus berbeda dari kata sandi saat ini."), "new_password")
    user.set_password(new)
    end_sessions(user.id, PASSWORD_CHANGED, keep=keep_session)
    record_here("account.password_change", object_type="user", object_id=user.id)
