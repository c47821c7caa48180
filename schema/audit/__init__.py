"""The audit trail and the chain's state in the API (hub/audit/trail.py, hub/audit/verification.py)."""
