"""Reminders: reports and documents that a region owes and has not delivered, due soon or overdue, told to
the region's operators and coordinators in the app and, when SMTP is configured, by e-mail.

What is owed comes from the completeness requirements (period, levels, due date, report type or document
category), so a report nobody has started yet is reminded of too; a draft quarterly report with a due date
and no requirement is reminded of on its own. Each (user, thing, stage) is notified once: the notification's
unique key names them, and the e-mail is recorded on the notification (`emailed_at`).

The review path is reminded of too (`reviews`): a report waiting for review for days tells its reviewers, a
returned report not resubmitted its author and its region's operators.
"""
