"""Citizens, the welfare register extract (DTKS) and pre-list proposals."""
