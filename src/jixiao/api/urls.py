"""/api/...: the ninja API, its bare 405s and unknown paths answered in the one error shape."""

from django.urls import re_path

from jixiao.api.api import api
from jixiao.api.errors import api_not_found, json_method_not_allowed

_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback = json_method_not_allowed(_pattern.callback)

app_name = _namespace  # "api", as ninja reverses its own URLs under it
urlpatterns = [*_patterns, re_path(r"^.*$", api_not_found)]
