"""Closing a test's window: the sample copy it changed is discarded, as a person would."""


def answer_closing(window) -> None:
    """Drop any answers the test left unused and answer "Keep this workshop?" with Discard."""
    window.prompts.answers.clear()
    window.prompts.script("Discard")


def close_discarding(window) -> None:
    answer_closing(window)
    window.close()
