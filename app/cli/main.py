"""The `cutline` command: the GUI by default, and `rank`, `compare`, `import` for scripts.

Errors a user can hit print one clear message to stderr and exit non-zero; never a traceback.
Anything unexpected ends in one line and exit status 70 (EX_SOFTWARE), the traceback kept for
CUTLINE_DEBUG=1; warnings print as one line each, numpy's arithmetic warnings not at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from cutline.app import __version__

COMMANDS = ("rank", "compare", "import", "optimise")
#: Exit statuses (docs/cli.md#exit-status) decided here: a mistyped command, a bug.
EXIT_USAGE, EXIT_INTERNAL = 2, 70
#: File name endings the window opens (a workshop and every spreadsheet format it imports).
FILE_SUFFIXES = frozenset({".cutline", ".xlsx", ".xltx", ".xlsm", ".xltm", ".xls", ".xlt",
                           ".ods", ".ots", ".csv", ".tsv", ".txt", ".tab"})


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        size = int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1600x1000") from None
    if min(size) < 200 or max(size) > 8000:
        raise argparse.ArgumentTypeError("a size between 200 and 8000 pixels each way")
    return size


def _quarters(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of quarters") from None
    if n < 1:
        raise argparse.ArgumentTypeError("delay by 1 quarter or more")
    return n


def gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cutline",
        description="Decide what a platform team builds next: score, rank and fund initiatives "
                    "against capacity. Commands: cutline rank|compare|import|optimise --help.",
    )
    p.add_argument("file", nargs="?", type=Path, help="a workshop (.cutline) or a spreadsheet; "
                   "the bundled sample when omitted")
    p.add_argument("--version", action="version", version=f"cutline {__version__}")
    p.add_argument("--sheet", help="the sheet to import from a workbook")
    p.add_argument("--scenario", help="the scenario to show from a workshop")
    p.add_argument("--screenshot", type=Path, metavar="OUT.png",
                   help="render the main window offscreen to a PNG and exit")
    p.add_argument("--view", help="bring this view to the front first (see the error for names)")
    p.add_argument("--theme", choices=("light", "dark"), help="colour theme (default: the system's)")
    p.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH",
                   help="window size for --screenshot (default 1600x1000)")
    return p


def command_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cutline")
    sub = p.add_subparsers(dest="command", required=True)

    rank = sub.add_parser("rank", help="print the ranked list with funding")
    rank.add_argument("input", type=Path, help="a spreadsheet or a workshop file")
    rank.add_argument("--model", type=Path, help="a model file (TOML), or a shipped template: platform_default, "
                      "rice, wsjf, priority_effort, weighted_scoring; default: the built-in model")
    _common_inputs(rank)
    rank.add_argument("--scenario", help="the workshop scenario to use (default: its current one)")
    rank.add_argument("--json", action="store_true", help="print one JSON object")
    rank.add_argument("-o", "--output", type=Path, help="write OUT.csv, OUT.xlsx (the roadmap) or OUT.pdf (the handout)")
    _export_columns(rank)
    rank.add_argument("--sensitivity", action="store_true",
                      help="add funded_share and rank_p5/rank_p95 from weight draws")
    # No defaults here: given without --sensitivity they are refused, not silently unused.
    rank.add_argument("--draws", type=int, help="with --sensitivity: weight draws (default 1000)")
    rank.add_argument("--spread", type=float, help="with --sensitivity: weight spread s (default 0.25)")
    rank.add_argument("--seed", type=int, help="with --sensitivity: random seed (default 0)")
    rank.add_argument("--delay", metavar="ID", help="also say what breaks if this funded initiative starts "
                      "later: who starts later, finishes late or falls out (the plan is not changed)")
    rank.add_argument("--by", type=_quarters, metavar="N", help="with --delay: by N quarters (default 1)")

    compare = sub.add_parser("compare", help="compare scenarios side by side")
    compare.add_argument("input", type=Path, help="a spreadsheet or a workshop file")
    compare.add_argument("--model", type=Path, action="append", default=[],
                         help="a model file per scenario (repeat)")
    compare.add_argument("--scenario", action="append", default=[],
                         help="a workshop scenario to include (repeat)")
    _common_inputs(compare)
    compare.add_argument("--json", action="store_true", help="print one JSON object")
    compare.add_argument("-o", "--output", type=Path, help="write the roadmap workbook OUT.xlsx, or the handout OUT.pdf")
    _export_columns(compare)

    imp = sub.add_parser("import", help="make a workshop file from a spreadsheet")
    imp.add_argument("input", type=Path, help="the spreadsheet")
    imp.add_argument("-o", "--output", type=Path, required=True, help="the workshop to write (.cutline)")
    imp.add_argument("--model", type=Path, help="a model file (TOML)")
    _common_inputs(imp)

    from cutline.app.cli.optimise import add_parser as add_optimise

    add_optimise(sub)
    return p


def _column_keys(text: str) -> list[str]:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys:
        raise argparse.ArgumentTypeError("name at least one column, such as rank,id,title,score")
    return keys


def _export_columns(p: argparse.ArgumentParser) -> None:
    """--columns a,b,c / --all-columns: the ranked list's columns in the workbook -o writes."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--columns", type=_column_keys, metavar="A,B,C",
                       help="with -o OUT.xlsx: the Ranked list's columns, in order (default "
                            "rank,id,title,team,category,score,funded,planned,finishes,reason; the "
                            "others are kept, hidden, so the workbook reads back whole)")
    group.add_argument("--all-columns", action="store_true",
                       help="with -o OUT.xlsx: show every column of the Ranked list")


def _common_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sheet", help="the sheet to import from a workbook")
    p.add_argument("--capacity", type=Path, help="a capacity file (csv or xlsx); default: the "
                   "workbook's Capacity sheet")


def debugging() -> bool:
    """CUTLINE_DEBUG=1: keep tracebacks and warnings as Python prints them (docs/cli.md)."""
    return os.environ.get("CUTLINE_DEBUG", "") not in ("", "0")


def unknown_command(word: str) -> str | None:
    """The message for a first argument that is neither a command nor a file, else None.

    A file is an existing path, or a name with a path separator or a known ending
    (`plan.xlsx` that does not exist yet still goes to the window, which says so)."""
    path = Path(word)
    if word in COMMANDS or word.startswith("-") or path.exists():
        return None
    if os.sep in word or "/" in word or path.suffix.lower() in FILE_SUFFIXES:
        return None
    import difflib

    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1)
    guess = f" (did you mean '{close[0]}'?)" if close else ""
    return (f"unknown command {word!r}{guess}; the commands are {', '.join(COMMANDS)}. "
            "To open a workshop or spreadsheet in the window: cutline FILE")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if debugging():
        return _main(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _warning_line
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy arithmetic: results are checked
        try:
            return _main(argv)
        except KeyboardInterrupt:
            print("cutline: interrupted.", file=sys.stderr)
            return 130
        except MemoryError:
            print("cutline: out of memory; the input is too large for this machine.", file=sys.stderr)
            return EXIT_INTERNAL
        except Exception as exc:  # the last resort: one line, never a traceback
            print(f"cutline: unexpected error ({_one_line(exc)}). This is a bug in Cutline; "
                  "run again with CUTLINE_DEBUG=1 to see where it happened.", file=sys.stderr)
            return EXIT_INTERNAL


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 200 else text[:199] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line, `cutline: warning: ...`, never the source file and line."""
    try:
        print(f"cutline: warning: {' '.join(str(message).split())}", file=file or sys.stderr)
    except (OSError, ValueError):
        pass


def _main(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        args = command_parser().parse_args(argv)
        from cutline.app.cli import run as cli_run

        return cli_run.run(args)
    # A bare word first (`cutline rnak plan.xlsx`) is a mistyped command before it is a usage error.
    first = argv[0] if argv else None
    if first is not None and (message := unknown_command(first)) is not None:
        print(f"cutline: {message}.", file=sys.stderr)
        return EXIT_USAGE
    args = gui_parser().parse_args(argv)
    if args.file is not None and (message := unknown_command(str(args.file))) is not None:
        print(f"cutline: {message}.", file=sys.stderr)
        return EXIT_USAGE
    if args.screenshot is not None:
        problem = screenshot_problem(args.screenshot)
        if problem is not None:
            print(f"cutline: {problem}", file=sys.stderr)
            return EXIT_USAGE
    from cutline.app.lifecycle.start import LaunchOptions, run

    return run(LaunchOptions(path=args.file, sheet=args.sheet, scenario=args.scenario,
                             screenshot=args.screenshot, view=args.view, theme=args.theme,
                             size=args.size))


def screenshot_problem(out: Path) -> str | None:
    """Why a screenshot cannot be written to `out` (checked before any window is built), or None."""
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        return f"cannot write the screenshot to {out}: it is a folder; name a .png file."
    if not folder.is_dir():
        return f"cannot write the screenshot to {out}: the folder {folder} does not exist."
    if not os.access(folder, os.W_OK):
        return f"cannot write the screenshot to {out}: the folder {folder} is not writable."
    return None
