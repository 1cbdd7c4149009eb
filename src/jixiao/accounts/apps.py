from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jixiao.accounts"
    label = "accounts"
    verbose_name = _("机构与用户")

    def ready(self) -> None:
        from jixiao.accounts import receivers  # noqa: F401  (records each login's session)
