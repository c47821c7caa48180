"""Obstacle cases (kendala) and their follow-up (tindak lanjut), escalated up the region tree when overdue."""
