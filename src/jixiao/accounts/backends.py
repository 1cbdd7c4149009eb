"""Signing in: Django's model backend, loading the user together with the organisation every page shows."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from jixiao.accounts.models import User


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        # Every signed-in request loads its user; the header and the scope checks then read the
        # organisation (and a unit's department): one query with the join instead of three.
        try:
            user = User._default_manager.select_related("organisation__parent").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
