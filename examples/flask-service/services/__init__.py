"""Integrations used by the HTTP layer."""
