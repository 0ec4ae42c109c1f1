"""Bundled data: the sample portfolio, the default model, icons and the style sheet."""
