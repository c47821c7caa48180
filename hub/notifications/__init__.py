"""Notifications: one per event for one user, queryable and markable as read, also e-mailed as the user
chose.

- `recipients`: who a workflow event concerns (the pure core); `fanout`: an outbox event turned into
  notifications by a worker, deduplicated per event and recipient, with a sweep for lost messages;
- `texts`: every text in Indonesian and English, rendered when read; `live`: `notificationAdded` across
  processes over Redis pub/sub;
- `preferences`, `digest`, `run`: e-mail choices, the daily digest, the jobs the workers run. E-mail as it
  comes is sent by hub.reminders.mail.
"""
