"""Running one subcommand (`rank`, `compare`, `import`, `optimise`): the exit status it ends with,
and its errors said in one line, never as a traceback (docs/cli.md)."""

from __future__ import annotations

import gc
import os
import sys

from cutline.app.cli import commands as cli_commands
from cutline.app.cli import optimise as cli_optimise
from cutline.models.errors import CutlineError, NoDataRows


def run(args) -> int:
    # A command is one short process that builds large tables of plain objects (the import, the
    # JSON) and few reference cycles: the cyclic collector would walk them again and again
    # (about 170 ms of a 20,000-initiative `rank --json`) for nothing it could free.
    gc.disable()
    try:
        command = {"rank": cli_commands.rank, "compare": cli_commands.compare,
                   "import": cli_commands.import_, "optimise": cli_optimise.optimise}[args.command]
        return command(args)
    except (cli_commands.NoInitiatives, NoDataRows) as exc:  # read, but nothing to rank
        print(f"cutline: {exc.describe()}", file=sys.stderr)
        return cli_commands.EXIT_NO_INITIATIVES
    except CutlineError as exc:
        print(f"cutline: {exc.describe()}", file=sys.stderr)
        return cli_commands.EXIT_BAD_INPUT
    except BrokenPipeError:  # `cutline optimise … | head -1`: the reader has what it wanted
        _quiet_stdout()
        return cli_commands.EXIT_OK
    except OSError as exc:
        print(f"cutline: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    finally:
        gc.enable()


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the flush at exit does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
