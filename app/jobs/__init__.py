"""Background jobs: RQ on Redis when REDIS_URL is set, inline in the web process otherwise."""
