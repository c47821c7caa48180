"""Saved searches: a user's named search (text, filter, order), re-run on demand with the viewer's scope of
the moment, and optionally checked periodically for new results that are then notified in-app."""
