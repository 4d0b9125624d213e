"""E-mail notifications (issue 9, sections 2 and 5): the opt-in activity digest and the notices a
meeting's registrants get when it is cancelled or moved.

Nothing here runs inside a request that raised an event: mutations record activity events
(core.activity.services.record); a separate pass (`ogp-wg notify send`, core/notifications/job.py)
reads the new events, queues messages in an outbox table and sends them through SMTP
(core/notifications/mail.py).
"""
