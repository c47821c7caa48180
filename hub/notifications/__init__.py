"""In-app notifications: one per event for one user, queryable and markable as read."""
