"""The append-only audit log: who did what, when, from where, in which region."""
