"""Capacity: person-weeks per team and quarter, guardrails, and the walk that funds work into them."""
