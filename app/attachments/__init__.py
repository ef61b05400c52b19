"""Files attached to a case or a citizen: checked by content, re-encoded, stored per region
outside the web root, and handed out only through access-checked, expiring, audited links."""
