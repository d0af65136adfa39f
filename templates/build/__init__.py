"""Builders for the DOCX templates (python -m templates.build rebuilds them all)."""
