"""Scoring: the model's criteria and formulas, each initiative's score and tier, and the ranking."""
