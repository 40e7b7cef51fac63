"""Domain vocabulary shared by every layer: periods, substance groups, area types. Pure Python."""
