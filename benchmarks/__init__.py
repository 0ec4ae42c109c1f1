"""Cutline's performance benchmarks and the synthetic portfolios they run on."""
