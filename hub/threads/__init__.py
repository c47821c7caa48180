"""Threads: comments on reports and cases (with mentions), visible to exactly who may read the record."""
