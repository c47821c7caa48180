"""Verified evidence: what valid evidence of a requirement or an indicator is (rules), each document attached
as evidence (a piece), the worker's check of its text, and a reviewer's confirmation or rejection."""
