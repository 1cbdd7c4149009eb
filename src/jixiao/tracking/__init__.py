"""Tracking reports in the database: models, the domain mapping, services, selectors and pages."""
