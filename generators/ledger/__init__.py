"""The year's ledger: every accepted quarterly return recorded beside plan/, and what is drawn from it —
the year workbook, the 督办单 for lagging units, the year-end summary."""

# Kinds these commands write into output/; a build keeps their entries (generators/output.py).
LEDGER_KINDS = frozenset({"ledger", "ledger-record", "supervision", "year-summary"})
