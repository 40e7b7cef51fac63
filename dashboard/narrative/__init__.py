"""Plain-English sentences written from the figures, for readers who are not analysts."""
