"""Dash Pages: a layout built from the URL's query, plus thin callbacks over services and figures."""
