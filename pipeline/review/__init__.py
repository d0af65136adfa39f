"""The review step over the intake ledger: accounts, field revisions, decisions, queries, exports.

No HTTP here: the web app (pipeline/web) calls these functions. Every change is a
new row (append-only) and every function takes an open SQLAlchemy session
(open_db's sessionmaker) and commits its own changes. Refusals raise errors.py's
NotFound / PermissionDenied / Invalid / Conflict (HaizhiError, Chinese message).

accounts   add_user, verify_password, set_password, set_active, list_users, get_user, can, require
           (roles clerk / reviewer / admin; PERMISSIONS: view correct verify upload decide export users)
revisions  correct_field, verify_field -> Outcome (revision, value, status, findings); history;
           reviewed_record (source["corrections"] / ["verified"] say who changed or checked what)
recheck    revalidate: one application's findings and status now, batch rules included
decisions  decide (通过 / 需补正 with items / 不符合条件), history, current_decision, suggested_items
notice     correction_notice (DOCX), correction_notice_pdf, write_correction_notice
queries    list_applications (dashboard), application_detail (one application's page), file_of
exports    write_reviewed_exports: XLSX / CSV / JSON Lines / approval sheets / 补正通知 with reviewed values
"""
