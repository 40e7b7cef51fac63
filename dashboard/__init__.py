"""Performance dashboard for drug and alcohol treatment partnerships."""

__version__ = "0.1.0"
PRODUCT_NAME = "Treatment Performance Dashboard"
