"""Celery app and tasks: document ingest (extract, OCR), indexing and periodic sweeps."""
