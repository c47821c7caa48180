"""Quarterly and incident reports: templates, content, validation and the review workflow."""
