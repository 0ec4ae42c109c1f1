"""Each key shown to a person is written once, in views/hotkeys.py: the action table, the views'
own bindings, their labels and the shortcuts list all read it from there."""

from pathlib import Path

from cutline.views import hotkeys

ROOT = Path(__file__).resolve().parents[2]
#: The keys a label or tooltip names besides the menus (menus show their own shortcuts).
NAMED = (hotkeys.APPLY, *hotkeys.APPLY_BINDINGS, hotkeys.COMPARE, hotkeys.COMPARE_ROOM,
         hotkeys.CHART_FOCUS, hotkeys.PRESENTATION, f"({hotkeys.UNDO})", f"({hotkeys.PASTE})",
         f"({hotkeys.LEAVE})")


def test_no_key_is_retyped_outside_hotkeys():
    retyped = []
    for folder in ("app", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "hotkeys.py":
                continue
            code = [line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines()]
            for number, line in enumerate(code, start=1):
                if '"""' in line or line.lstrip().startswith(("def ", "class ")):
                    continue
                retyped += [f"{path.relative_to(ROOT)}:{number} {key}" for key in NAMED
                            if key in line and ('"' in line or "'" in line)]
    assert retyped == []


def test_the_full_window_keys_are_the_actions_keys():
    from cutline.app.window.actions import SPECS

    keys = {spec.name: spec.shortcut for spec in SPECS}
    assert keys["compare"] == hotkeys.COMPARE and keys["chart_focus"] == hotkeys.CHART_FOCUS
    assert keys["presentation"] == hotkeys.PRESENTATION and keys["compare_room"] == hotkeys.COMPARE_ROOM
