"""Scenarios: a model and capacity over one portfolio, evaluated, compared and stress-tested."""
