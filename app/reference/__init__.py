"""Shared reference data: the official Kemendagri list of administrative areas."""
