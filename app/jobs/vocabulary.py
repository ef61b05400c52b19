"""The status of a background job (report build, register import)."""
from __future__ import annotations

from app.extensions import Vocabulary


class JobStatus(Vocabulary):
    """queued → running → done, or back to queued for a retry, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


#: A job still to be done or being done.
ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
