from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jixiao.audit"
    label = "audit"
    verbose_name = _("审计记录")

    def ready(self) -> None:
        from jixiao.audit import signals  # noqa: F401  (connects the login/logout receivers)
