"""A session's life: start-up, opening and loading, saving and closing, recovery, recent files."""
