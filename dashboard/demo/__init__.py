"""Deterministic demonstration data: real geography, synthetic and internally consistent numbers."""
