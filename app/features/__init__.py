"""The window's features, one module each: a class the window makes once (app/window/feature_list.py)."""
