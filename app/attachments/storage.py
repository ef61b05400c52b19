"""Where attachment bytes live, behind a small interface: local disk now, an S3-compatible store later.

Keys are made by `new_key` (`<tenant id>/<random hex>`): no user input ever becomes part of a
path, and `LocalStorage` refuses any other shape of key, so a stored key cannot climb out of
its root. The root is outside the web root (`instance/attachments` by default).
"""
from __future__ import annotations

import os
import re
import secrets
import tempfile
import uuid
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{64}$")


class Storage(Protocol):
    """Put, open and delete bytes by key."""

    def put(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def delete(self, key: str) -> None: ...


def new_key(tenant_id: uuid.UUID) -> str:
    """A fresh random key in the region's folder (256 random bits: never guessed, never reused)."""
    return f"{tenant_id}/{secrets.token_hex(32)}"


class LocalStorage:
    """Files under `root/<tenant id>/<random name>`, written atomically (temporary file, then rename)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if not KEY.match(key):
            raise ValueError(f"not an attachment key: {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def storage() -> Storage:
    """The store chosen by ATTACHMENTS_STORAGE ("local": ATTACHMENTS_DIR)."""
    kind = current_app.config.get("ATTACHMENTS_STORAGE", "local")
    if kind == "local":
        return LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    raise RuntimeError(f"ATTACHMENTS_STORAGE={kind!r} is not supported (only 'local' for now)")
