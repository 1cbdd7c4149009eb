"""X-Forwarded-Proto is believed only when JIXIAO_PROXY_SSL_HEADER says TLS ends at a proxy."""

from jixiao.web.production import proxy_options


def test_gunicorn_ignores_forwarded_proto_unless_the_proxy_header_is_configured(settings):
    settings.JIXIAO_PROXY_SSL_HEADER = False
    assert proxy_options()["secure_scheme_headers"] == {}


def test_gunicorn_keeps_its_scheme_headers_when_the_proxy_header_is_configured(settings, monkeypatch):
    settings.JIXIAO_PROXY_SSL_HEADER = True
    monkeypatch.setenv("JIXIAO_FORWARDED_ALLOW_IPS", "10.0.0.5")
    assert proxy_options() == {"forwarded_allow_ips": "10.0.0.5"}  # gunicorn's defaults, for that proxy only


def test_django_ignores_forwarded_proto_by_default(client, settings, db):
    assert getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None
    response = client.get("/public/", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False
