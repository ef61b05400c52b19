"""Printable documents (reportlab): shared building blocks in `pdf`, one module per document."""
