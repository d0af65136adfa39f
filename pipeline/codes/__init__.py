"""Codes on printed forms: each page of an issued form carries a signed QR code.

    issue_form(record, cfg, db_url) -> Issued (DOCX + PDF bytes with codes, issue id)   (issue.py)
    stamp_pdf / decode_image                                                         (qr.py)
    secret / sign / parse_code                                                       (verify.py)
    read_records(layout, file, sha256) -> records, findings (a scan read via its codes) (readback.py)
    differences / issue_pairing: printed vs read values; editable copy vs scan      (compare.py)
    IssuedForm: the ledger table (migration 0003_issued)                             (models.py)
"""
