import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_token_model_has_all_its_migrations():
    call_command("makemigrations", "api", "--check", "--dry-run", verbosity=0)


def test_django_system_checks_pass_with_the_api_installed():
    call_command("check", fail_level="WARNING")
