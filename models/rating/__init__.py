"""Rating together: hidden rounds, their reveal, budget votes, and ratings brought in from a sheet."""
