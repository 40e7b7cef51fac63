"""The board pack: an A4 PDF built from the same services, narrative and figure code as the app."""
