"""Intake: an inbox of returns in; a ledger of records, findings and reviewer exports out.

    from pipeline.intake.run import Options, run_intake
    summary = run_intake(Options(inbox=Path("收件箱"), out=Path("outputs"), workers=2))

store.py (originals by hash) · db.py + migrations/ (the ledger) · inbox.py (safe walking,
zips) · classify.py · group.py (files → applications) · pool.py + work.py (extraction
in capped worker processes) · ledger.py (writes) · review.py (compare, validate,
status) · run.py (the whole run) · demo.py (haizhi demo).
"""
