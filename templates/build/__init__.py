"""Builders for the DOCX templates (python -m haizhi.templates.build rebuilds them all)."""
