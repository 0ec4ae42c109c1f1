"""What a --screenshot stages before its picture, and that showing a view alone makes nothing up."""

from app import rating_flow, screenshot_staging


def test_showing_the_rating_view_makes_up_no_round(window):
    window.show_view("rating")
    assert rating_flow.session_for(window).round is None


def test_the_screenshot_of_the_rating_view_shows_a_made_up_round_never_written(window):
    screenshot_staging.show_staged(window, "rating")
    session = rating_flow.session_for(window)
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
