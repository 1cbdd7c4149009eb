"""Organisations (finance bureau → departments → units) and the users who work for them."""
