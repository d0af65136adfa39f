"""The review step over the intake ledger: accounts, field revisions, decisions, queries, exports.

No HTTP here: the web app (pipeline/web) calls these functions. Every change is a
new row (append-only) and every function takes an open SQLAlchemy session.
"""
