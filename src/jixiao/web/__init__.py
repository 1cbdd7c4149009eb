"""The Django project: settings from the environment, URLs, WSGI and the CLI commands that need Django."""
