"""An unexpected exception in the window is logged and told in one sentence, never a traceback."""

from cutline.app.lifecycle import crash_guard


class _Window:
    def __init__(self):
        self.errors = []

    def tell_error(self, text):
        self.errors.append(text)


def test_an_unexpected_error_is_logged_and_told(tmp_path, capsys):
    window = _Window()
    try:
        raise KeyError("criterion 'dx'")
    except KeyError as exc:
        log = crash_guard.report(window, type(exc), exc, exc.__traceback__, folder=tmp_path)
    assert log == tmp_path / "errors.log" and "Traceback" in log.read_text()
    assert window.errors[0].startswith("Something went wrong in Cutline (KeyError:")
    assert "workshop is kept" in window.errors[0] and str(log) in window.errors[0]
    assert "Traceback" not in capsys.readouterr().err


def test_an_unwritable_log_still_tells(tmp_path):
    window = _Window()
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert crash_guard.report(window, ValueError, ValueError("x"), None, folder=blocked / "sub") is None
    assert window.errors and "details" not in window.errors[0]
