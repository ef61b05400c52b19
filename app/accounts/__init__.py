"""People: platform users, their memberships in regions, and logging in."""
