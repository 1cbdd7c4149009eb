"""/api/...: the ninja API, its bare 405s and unknown paths answered in the one error shape."""

from django.http import HttpResponseRedirect
from django.urls import re_path, reverse

from jixiao.api.api import api
from jixiao.api.errors import api_not_found, json_method_not_allowed


def _to_docs(request, *args, **kwargs):
    return HttpResponseRedirect(reverse("api:openapi-view"))


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    # ninja's own root ("api-root", which it reverses to place the schema) answers with an HTML 404.
    _pattern.callback = _to_docs if _pattern.name == "api-root" else json_method_not_allowed(_pattern.callback)

app_name = _namespace  # "api", as ninja reverses its own URLs under it
urlpatterns = [*_patterns, re_path(r"^.*$", api_not_found)]
