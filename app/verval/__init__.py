"""Data updates for verval (verification and validation) and their exchange with SIKS-NG."""
