"""Action plans: the RAG rules (pure code), and reading and writing plans as spreadsheets.

A plan (partnership, title, period) has themes; a theme has expected outcomes, optionally tied to an indicator
and a target; an outcome has actions (milestones) with a due date, an owner, a status and a RAG rating. The
rules live in ``rag`` and import nothing of ours, so they can be tested with fixed dates; ``io`` reads a
planning grid like the one partnerships already keep in Excel, and writes the current plan back out.
"""
