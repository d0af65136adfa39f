"""Intake: an inbox of returns in; a ledger of records, findings and reviewer exports out.

    from haizhi.pipeline.intake.run import Options, run_intake
    summary = run_intake(Options(inbox=Path("收件箱"), out=Path("outputs"), workers=2))

store.py (originals by hash) · db.py + migrations/ (the ledger) · inbox.py (safe walking,
zips) · classify.py · group.py (files → applications) · steps.py (the work: read one file,
group, review, export — the same functions for both runners) · pool.py + work.py (reading in
capped worker processes) · ledger.py (writes) · review.py (compare, validate once, status) ·
run.py (the whole run; SQLite: local process pool) · queue.py + dispatch.py (PostgreSQL: the
Procrastinate job queue, enqueue_files, queue_status, haizhi worker) · demo_batch.py (haizhi demo).
"""
