"""The review web app: FastAPI pages (Jinja2 + vendored HTMX) and a JSON API over the intake ledger."""
