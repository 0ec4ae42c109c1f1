"""The join page in a real headless browser (Debian's chromium, driven by selenium), with the
room opened in a real window: join, rate in private, reveal on the host, budget voting, refusals.

No browser is downloaded: the driver and the browser are Debian's (.ci/install installs them
for the test run), passed by path so that Selenium Manager never runs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cutline.models.room.state import BUDGET

from tests.gui import room_fixtures
from tests.gui.room_fixtures import ids_near_cut_line, open_room

room_window, window = room_fixtures.room_window, room_fixtures.window  # the fixtures, for this module

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=420,900")
WAIT = 10

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM.exists() and DRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
                              "chromium-driver; .ci/install installs them for the tests)"),
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()
    shutil.rmtree(str(tmp_path_factory.getbasetemp() / "chromium0"), ignore_errors=True)


def _wait(driver, condition, timeout: float = WAIT):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # the page redraws its card after each answer: an element found a moment ago may be gone
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def _visible(driver, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    return _wait(driver, ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def _join(driver, url: str, name: str, role: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    driver.get(url)
    _visible(driver, "#name").send_keys(name)
    if role:
        driver.find_element(By.CSS_SELECTOR, f"input[name=role][value='{role}']").click()
    driver.find_element(By.ID, "join").click()


def _criterion(driver, name: str):
    from selenium.webdriver.common.by import By

    for block in driver.find_elements(By.CSS_SELECTOR, "#criteria .criterion"):
        if block.find_element(By.CSS_SELECTOR, "h3 span").text == name:
            return block
    raise AssertionError(f"no {name} on the page")


def _tap(driver, criterion: str, value: str) -> None:
    from selenium.webdriver.common.by import By

    block = _criterion(driver, criterion)
    block.find_element(By.CSS_SELECTOR, f"button[data-value='{value}']").click()
    _wait(driver, lambda d: _criterion(d, criterion).find_element(By.CSS_SELECTOR, ".state").text == "Saved")


def _fetch(driver, path: str, body: dict) -> list:
    """What the page's own fetch gets for `body` (status, answer), with this tab's token."""
    return driver.execute_async_script("""
        const [path, body, done] = arguments;
        const code = location.pathname.split('/').pop();
        const token = sessionStorage.getItem('cutline-room-' + code) || '';
        fetch('/api/' + code + '/' + path, {method: 'POST', body: JSON.stringify(body),
              headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token}})
          .then(r => r.json().then(j => done([r.status, j])));
    """, path, body)


def test_two_people_join_rate_in_private_and_the_host_reveals(qtbot, window, browser):
    from selenium.webdriver.common.by import By

    ids = ids_near_cut_line(window, 2)
    flow = open_room(window, ids)
    url = flow.join.qr.text
    assert url.startswith("http://127.0.0.1:") and f"/j/{flow.room.code}" in url
    ann_tab = browser.current_window_handle
    _join(browser, url, "Ann", "Engineer")
    _visible(browser, "#rate-view")
    assert [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#criteria h3 span:first-child")] == ["dx", "effort"]
    _tap(browser, "dx", "7")
    effort = _criterion(browser, "effort").find_element(By.CSS_SELECTOR, "input")
    effort.send_keys("12.5\n")
    _wait(browser, lambda d: _criterion(d, "effort").find_element(By.CSS_SELECTOR, ".state").text == "Saved")

    browser.switch_to.new_window("tab")  # a second device: its own session storage, its own token
    bo_tab = browser.current_window_handle
    _join(browser, url, "Bo", "Product")
    _visible(browser, "#rate-view")
    assert [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#criteria h3 span:first-child")] == ["dx"]
    assert browser.find_elements(By.CSS_SELECTOR, "button[aria-pressed=true]") == []  # Ann's 7 is not shown
    _tap(browser, "dx", "2")
    browser.find_element(By.ID, "next").click()
    _tap(browser, "dx", "3")
    assert "Ann" not in browser.page_source and "12.5" not in browser.page_source

    browser.switch_to.window(ann_tab)
    browser.refresh()  # the token survives a reload; only Ann's own answers come back
    _visible(browser, "#rate-view")
    pressed = browser.find_elements(By.CSS_SELECTOR, "#criteria button[aria-pressed=true]")
    assert [b.get_attribute("data-value") for b in pressed] == ["7"]
    assert "Bo" not in browser.page_source

    qtbot.waitUntil(lambda: "2 joined" in flow.join.summary.text(), timeout=3000)
    assert flow.join.people.item(0, 2).text() == "2 of 4 rated"
    flow.close_round()  # Close and reveal, on the host
    session = flow.session
    assert session.pages.currentWidget() is session.reveal
    assert dict(session.round.ratings) == {("Ann", ids[0], "dx"): 7.0, ("Ann", ids[0], "effort"): 12.5,
                                           ("Bo", ids[0], "dx"): 2.0, ("Bo", ids[1], "dx"): 3.0}
    assert session.round.revealed and session.round.participants == ("Ann", "Bo")
    browser.switch_to.window(bo_tab)
    browser.close()
    browser.switch_to.window(ann_tab)


def test_out_of_range_and_removed_participants_are_refused_in_the_page(qtbot, window, browser):
    from selenium.webdriver.common.by import By

    ids = ids_near_cut_line(window, 2)
    flow = open_room(window, ids)
    _join(browser, flow.join.qr.text, "Cy", "Engineer")
    _visible(browser, "#rate-view")
    assert _fetch(browser, "rate", {"ratings": [[ids[0], "dx", 11]]}) == [400, {"error": "dx is rated 0 to 10, not 11."}]
    assert _fetch(browser, "rate", {"ratings": [["NOPE-1", "dx", 1]]})[0] == 400
    effort = _criterion(browser, "effort").find_element(By.CSS_SELECTOR, "input")
    effort.send_keys("-4\n")
    _wait(browser, lambda d: "Not saved" in _criterion(d, "effort").find_element(By.CSS_SELECTOR, ".state").text)
    assert flow.room.ratings() == {}
    browser.execute_script(  # three taps faster than any answer: they reach the laptop in order
        "for (const v of ['3', '8', '5'])"
        " document.querySelector(`#criteria .criterion button[data-value='${v}']`).click();")
    qtbot.waitUntil(lambda: flow.room.ratings().get(("Cy", ids[0], "dx")) == 5.0, timeout=5000)
    _wait(browser, lambda d: _criterion(d, "dx").find_element(By.CSS_SELECTOR, ".state").text == "Saved")
    assert flow.room.ratings() == {("Cy", ids[0], "dx"): 5.0}
    key, good = browser.execute_script(
        "const k = Object.keys(sessionStorage)[0]; const t = sessionStorage.getItem(k);"
        "sessionStorage.setItem(k, t.slice(0, -2) + (t.endsWith('zz') ? 'yy' : 'zz')); return [k, t];")
    browser.refresh()  # a wrong token: the page forgets it and asks to join again
    _visible(browser, "#join-view")
    browser.execute_script("sessionStorage.setItem(arguments[0], arguments[1]);", key, good)
    browser.refresh()
    _visible(browser, "#rate-view")
    flow.remove("Cy")  # the host takes Cy out: the token stops working
    _criterion(browser, "dx").find_element(By.CSS_SELECTOR, "button[data-value='4']").click()
    _visible(browser, "#done-view")
    assert "taken this device out" in browser.find_element(By.ID, "done-text").text
    flow.close_round()


def test_budget_voting_from_the_page_becomes_a_votes_input(qtbot, window, browser):
    from selenium.webdriver.common.by import By

    ids = ids_near_cut_line(window, 4)
    flow = open_room(window, ids, kind=BUDGET, budget=1)
    prices = flow.room.vote.prices
    cheapest = min(prices, key=prices.get)
    flow.room.vote = type(flow.room.vote)(flow.room.vote.id, prices, prices[cheapest])  # buys one, no more
    _join(browser, flow.join.qr.text, "Dee")
    _visible(browser, "#buy-view")
    boxes = {b.get_attribute("data-id"): b for b in browser.find_elements(By.CSS_SELECTOR, "#shop input")}
    assert set(boxes) == set(prices)
    boxes[cheapest].click()
    _wait(browser, lambda d: d.find_element(By.ID, "message").text == "Saved")
    other = next(i for i in prices if i != cheapest)
    browser.find_element(By.CSS_SELECTOR, f"#shop input[data-id='{other}']").click()  # over the budget:
    # the page says so and sends nothing
    _wait(browser, lambda d: "more than your budget" in d.find_element(By.ID, "message").text)
    assert _fetch(browser, "buy", {"ids": [cheapest, other]})[0] == 400  # the server checks too
    assert flow.room.vote.purchases == {"Dee": (cheapest,)}
    flow.close_round()
    assert flow.session.pages.currentWidget() is flow.votes.view
    assert flow.votes.view.table.item(0, 0).text().startswith(cheapest)
    doc = window.document
    flow.votes.use()
    row = doc.workshop.portfolio.row_of_id[cheapest]
    assert doc.workshop.portfolio.value(row, "votes") == 1.0
    assert doc.workshop.rating_rounds[-1]["kind"] == "budget_vote"
    assert "Budget vote" in doc.journal()[-1].summary
    doc.undo_stack.undo()
    assert "votes" not in doc.workshop.portfolio.extra_columns
