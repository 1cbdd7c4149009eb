"""Django's password rules with their messages in Chinese where Django's own catalogue has none.

The minimum length is the security administrator's policy (accounts.security.security_policy);
the ``min_length`` option only applies while no policy has been saved.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    def _min_length(self) -> int:
        from jixiao.accounts.models import SecurityPolicy

        saved = SecurityPolicy.objects.order_by("pk").values_list("password_min_length", flat=True).first()
        return saved or self.min_length

    def validate(self, password, user=None):
        min_length = self._min_length()
        if len(password) < min_length:
            raise ValidationError(
                _("密码太短，至少需要 %(min_length)d 个字符。"), code="password_too_short",
                params={"min_length": min_length},
            )

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self._min_length()}
