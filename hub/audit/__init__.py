"""The audit chain: one entry per mutation, each hash covering the previous entry's hash."""
