"""The JSON API for a region's other systems: per-region tokens, read queries, webhooks.

Routes live in `app.blueprints.api`; this package holds the tokens (`tokens.py`), the
read-only queries the API answers with (`queries.py`) and the webhooks with their delivery
(`webhooks.py`, `delivery.py`).
"""
