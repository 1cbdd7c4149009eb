from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jixiao.accounts.security import lock_minutes, login_failure_record, login_failures_clear, login_is_locked
from jixiao.audit.context import ip_of


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用。"),
        "locked": _("登录失败次数过多，该账号已在此地址暂时锁定，请 %(minutes)d 分钟后再试。"),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        ip = ip_of(self.request) if self.request is not None else None
        if username and login_is_locked(username=username, ip=ip):
            raise self._locked()
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failure_record(username=username, ip=ip)
                if login_is_locked(username=username, ip=ip):
                    raise self._locked() from None
            raise
        login_failures_clear(username=username, ip=ip)
        return cleaned

    def _locked(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["locked"], code="locked", params={"minutes": lock_minutes()}
        )
