"""Notifications: ``notify`` tells users about an event, in-app and over SMS, email and WhatsApp.

Callers in higher layers resolve the recipients and call ``notify`` (usually from
``transaction.on_commit``); the catalogue (``catalogue.EVENTS``) holds the texts.
"""

from accounts.notifications.services import notify

__all__ = ["notify"]
