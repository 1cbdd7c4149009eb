"""Signals the accounts services send, for apps above them (the JSON API revokes tokens on deactivation)."""

from django.dispatch import Signal

# Sent with ``user`` when an account is deactivated; receivers end whatever access it still has.
user_deactivated = Signal()
