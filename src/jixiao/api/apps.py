from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jixiao.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from jixiao.accounts.signals import user_deactivated
        from jixiao.api.tokens import tokens_revoke_all

        def _revoke(sender, user, **kwargs):
            tokens_revoke_all(user=user)

        user_deactivated.connect(_revoke, dispatch_uid="jixiao-api-revoke-on-deactivate", weak=False)
