"""Attaching, listing, deleting and downloading files on a case or a citizen.

Who reaches a file is one rule (`visible_attachment`): a case's file goes with the case
(`app.casework.access`), a citizen's file with any case of that citizen the member may see.
Anything else, another region's file included, is simply not found (404).

A download link is signed (itsdangerous), names the file, the user and the region, and expires
after ATTACHMENT_LINK_MAX_AGE seconds; the route checks the link *and* the access rule on every
download, and every download is audited.
"""
from __future__ import annotations

import hashlib
import uuid

from flask import current_app, has_app_context
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from app.attachments.files import check_file, display_name, max_bytes, too_big
from app.attachments.models import Attachment
from app.attachments.storage import new_key, storage
from app.attachments.vocabulary import AttachmentKind
from app.audit.log import record
from app.casework.access import visible_condition
from app.casework.models import Case
from app.citizens.models import Citizen
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.permissions import Capability, can
from app.tenancy.models import utcnow


def _read(file_storage) -> bytes:
    """The upload's bytes, reading one byte past the limit at most."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise Invalid(_("Pilih berkas."), errors={"file": [_("Pilih berkas.")]})
    data = file_storage.stream.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise too_big()
    return data


def attach(owner: Case | Citizen, file_storage, kind: str, actor, keep_location: bool = False) -> Attachment:
    """Check, clean and store an uploaded file on a case or a citizen the caller has loaded through
    the access rule; `actor` is the uploading user. The location is kept only for a photo, and only
    when `keep_location` (the person agreed). Refused input raises `Invalid` at its field."""
    if kind not in AttachmentKind.labels():
        raise Invalid(_("Pilih jenis lampiran."), errors={"kind": [_("Pilih jenis lampiran.")]})
    checked = check_file(_read(file_storage), keep_location=keep_location and kind == AttachmentKind.PHOTO)
    key = new_key(owner.tenant_id)
    storage().put(key, checked.data)
    db.session.info.setdefault(UNCOMMITTED, []).append(key)
    row = Attachment(case_id=owner.id if isinstance(owner, Case) else None,
                     citizen_id=owner.id if isinstance(owner, Citizen) else None,
                     kind=kind, filename=display_name(file_storage.filename, checked.extension),
                     content_type=checked.content_type, size=len(checked.data),
                     sha256=hashlib.sha256(checked.data).hexdigest(), storage_key=key, uploaded_by=actor.id,
                     latitude=checked.latitude, longitude=checked.longitude)
    db.session.add(row)
    db.session.flush()
    record("attachment.add", "attachment", row.id, owner=row.owner_type, owner_id=owner.id, kind=kind,
           size=row.size, content_type=row.content_type, located=row.latitude is not None)
    return row


#: session.info key: files written in this transaction, removed again if it rolls back.
UNCOMMITTED = "attachments_uncommitted"


@event.listens_for(Session, "after_commit")
def _keep_files(session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released (after_commit fires for those too): the real commit is still to come
    session.info.pop(UNCOMMITTED, None)


@event.listens_for(Session, "after_transaction_end")
def _drop_files(session, transaction) -> None:
    """A transaction that rolled back leaves no file behind (its rows are gone too). Only the
    outer transaction decides: a SAVEPOINT rolled back inside it keeps the files it may commit."""
    if transaction.parent is not None:
        return
    keys = session.info.pop(UNCOMMITTED, None)
    if keys and has_app_context():
        for key in keys:
            storage().delete(key)


def _live():
    return select(Attachment).where(Attachment.deleted_at.is_(None)).order_by(Attachment.uploaded_at)


def case_attachments(case: Case) -> list[Attachment]:
    return list(db.session.scalars(_live().where(Attachment.case_id == case.id)))


def citizen_attachments(citizen: Citizen) -> list[Attachment]:
    return list(db.session.scalars(_live().where(Attachment.citizen_id == citizen.id)))


def visible_attachment(membership, attachment_id):
    """The select of a live attachment this member may reach (none otherwise): load it with
    `db.one_or_404`, so a file out of reach answers 404 like another region's."""
    cases = select(Case.id).where(visible_condition(membership))
    citizens = select(Case.citizen_id).where(visible_condition(membership))
    return _live().where(Attachment.id == attachment_id,
                         or_(Attachment.case_id.in_(cases), Attachment.citizen_id.in_(citizens)))


def delete_attachment(attachment: Attachment, actor, membership) -> None:
    """Soft-delete (the bytes stay for the audit trail): the uploader, or a member who may manage
    attachments (`Capability.DELETE_ATTACHMENTS`)."""
    if attachment.uploaded_by != actor.id and not can(membership, Capability.DELETE_ATTACHMENTS):
        raise Forbidden(_("Hanya pengunggah atau pengelola yang dapat menghapus lampiran ini."))
    attachment.deleted_at, attachment.deleted_by = utcnow(), actor.id
    record("attachment.delete", "attachment", attachment.id, owner=attachment.owner_type, kind=attachment.kind,
           filename=attachment.filename)


# --- downloads -----------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="attachment-download")


def _claims(attachment: Attachment, user_id) -> dict:
    return {"a": str(attachment.id), "u": str(user_id), "r": str(attachment.tenant_id)}


def download_token(attachment: Attachment, user_id) -> str:
    """A link token for this file, this user, this region; valid ATTACHMENT_LINK_MAX_AGE seconds."""
    return _serializer().dumps(_claims(attachment, user_id))


def token_is_good(token: str, attachment: Attachment, user_id: uuid.UUID) -> bool:
    """Signed by us, not expired, and naming exactly this file, user and region."""
    try:
        data = _serializer().loads(token or "", max_age=current_app.config.get("ATTACHMENT_LINK_MAX_AGE", 900))
    except BadSignature:  # SignatureExpired included
        return False
    return bool(data == _claims(attachment, user_id))


def download(attachment: Attachment) -> bytes:
    """The stored bytes of a file the caller has checked the link and access for; audited."""
    with storage().open(attachment.storage_key) as stored:
        data = stored.read()
    record("attachment.download", "attachment", attachment.id, owner=attachment.owner_type, kind=attachment.kind)
    return data
