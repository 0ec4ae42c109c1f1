"""The `cutline` command: its arguments, the subcommands (rank, compare, import, optimise) and their exits."""
