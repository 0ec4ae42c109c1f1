"""What a --screenshot stages before its picture, and that showing a view alone makes nothing up."""

from cutline.app.features import rating as rating_flow
from cutline.app.staging import screenshot as screenshot_staging


def test_showing_the_rating_view_makes_up_no_round(window):
    window.show_view("rating")
    assert window.feature(rating_flow.RatingSession).round is None


def test_the_screenshot_of_the_rating_view_shows_a_made_up_round_never_written(window):
    screenshot_staging.show_staged(window, "rating")
    session = window.feature(rating_flow.RatingSession)
    assert session.round is not None and session.round.ratings and session.demo
    assert window.document.file.round_in_progress() is None


def test_the_screenshot_of_the_room_with_four_makes_up_the_missing_scenarios(window):
    doc = window.document
    assert len(doc.workshop.scenarios) < 4
    window.show_view("compare-room-4")
    assert len(doc.workshop.scenarios) < 4          # the feature alone adds none
    window.show_view("ranking")
    screenshot_staging.show_staged(window, "compare-room-4")
    assert len(doc.workshop.scenarios) == 4


def test_a_screenshot_window_asks_nobody_and_is_a_picture(qtbot, tmp_path):
    from cutline.app.lifecycle.start import LaunchOptions, build_window
    from cutline.app.prompts import UnattendedPrompts
    from cutline.app.window.display import PictureDisplay

    _, win, _ = build_window(LaunchOptions(screenshot=tmp_path / "unused.png"))
    qtbot.addWidget(win)
    assert isinstance(win.prompts, UnattendedPrompts) and isinstance(win.display, PictureDisplay)
    assert win.ask_yes_no("Recover it?") is False


def test_a_window_built_for_a_person_asks_with_real_dialogs_on_the_screen(qtbot):
    from cutline.app.prompts import DialogPrompts
    from cutline.app.settings import Settings
    from cutline.app.window.display import ScreenDisplay
    from cutline.app.window.main_window import MainWindow

    win = MainWindow(Settings())
    qtbot.addWidget(win)
    assert isinstance(win.prompts, DialogPrompts) and win.prompts.parent is win
    assert isinstance(win.display, ScreenDisplay)
