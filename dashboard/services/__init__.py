"""The questions the product answers, as plain data: repository reads plus statistics, no Dash."""
