"""The timeline page and embeddable widget in a real headless chromium."""

from __future__ import annotations

import shutil

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.factories import KNOWN

pytestmark = pytest.mark.browser

IN_DATE_ORDER = sorted(KNOWN, key=lambda k: k.start)


def _cards(driver):
    return driver.find_elements(By.CSS_SELECTOR, ".tlw-card")


def _card_ids(driver) -> list[str]:
    # read in one script call: the list may be re-rendered between two WebDriver calls
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.tlw-card')).map(c => c.dataset.eventId)"
    )


def _wait_for_ids(driver, expected: list[str]) -> list[str]:
    """The cards shown once the widget settles on `expected` (a timeout fails the test)."""
    WebDriverWait(driver, 15).until(
        lambda d: _card_ids(d) == expected and d.find_element(By.CSS_SELECTOR, ".tlw[data-ready]")
    )
    return _card_ids(driver)


@pytest.fixture
def page(browser, live_server):
    base, ids = live_server
    browser.get(base + "/")
    _wait_for_ids(browser, [str(ids[k.key]) for k in IN_DATE_ORDER])
    return browser, ids


def test_events_are_shown_in_date_order_with_granularity_visible(page):
    driver, ids = page
    cards = _cards(driver)
    assert [int(c.get_attribute("data-event-id")) for c in cards] == [ids[k.key] for k in IN_DATE_ORDER]
    labels = {
        c.get_attribute("data-event-id"): c.find_element(By.CSS_SELECTOR, ".tlw-date").text for c in cards
    }
    assert labels[str(ids["visit"])] == "May 2024"  # a month, not 1 May
    assert labels[str(ids["agreement"])] == "2022"
    assert labels[str(ids["call"])] == "3 March 2023"
    assert labels[str(ids["talks"])] == "20 May – 22 May 2024"
    badges = [c.find_element(By.CSS_SELECTOR, ".tlw-granularity").text.lower() for c in cards]
    assert badges == [k.granularity for k in IN_DATE_ORDER]
    # On the axis a month-level event spans its month; a day-level one is a point.
    visit = driver.find_element(By.CSS_SELECTOR, f".tlw-marker[data-event-id='{ids['visit']}']")
    call = driver.find_element(By.CSS_SELECTOR, f".tlw-marker[data-event-id='{ids['call']}']")
    assert "tlw-span" in visit.get_attribute("class") and "tlw-point" in call.get_attribute("class")
    agreement = driver.find_element(By.CSS_SELECTOR, f".tlw-marker[data-event-id='{ids['agreement']}']")
    assert agreement.size["width"] > 8 * visit.size["width"]  # a year is twelve months wide


def test_filters_by_type_actor_and_date_range(page):
    driver, ids = page
    everything = [str(ids[k.key]) for k in IN_DATE_ORDER]
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=type]")).select_by_value("visit")
    assert _wait_for_ids(driver, [str(ids["visit"])]) == [str(ids["visit"])]
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=type]")).select_by_value("")
    _wait_for_ids(driver, everything)
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=actor]")).select_by_value("vladimir-putin")
    assert _wait_for_ids(driver, [str(ids["call"]), str(ids["talks"])]) == [
        str(ids["call"]),
        str(ids["talks"]),
    ]
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=actor]")).select_by_value("")
    _wait_for_ids(driver, everything)
    driver.execute_script(
        "const f = document.querySelector('input[name=from]'); f.value = '2024-01-01';"
        "f.dispatchEvent(new Event('change'));"
    )
    assert _wait_for_ids(driver, [str(ids["visit"]), str(ids["talks"])]) == [
        str(ids["visit"]),
        str(ids["talks"]),
    ]


def test_detail_view_highlights_the_date_expression_and_renders_arabic_rtl(page):
    driver, ids = page
    driver.find_element(By.CSS_SELECTOR, f".tlw-card[data-event-id='{ids['call']}']").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, ".tlw-detail").is_displayed())
    detail = driver.find_element(By.CSS_SELECTOR, ".tlw-detail")
    sentence = detail.find_element(By.CSS_SELECTOR, ".tlw-sentence")
    call = next(k for k in KNOWN if k.key == "call")
    assert sentence.text == call.sentence
    assert detail.find_element(By.CSS_SELECTOR, "mark.tlw-expression").text == call.expression
    assert driver.execute_script("return getComputedStyle(arguments[0]).direction", sentence) == "rtl"
    title = driver.find_element(By.CSS_SELECTOR, f".tlw-card[data-event-id='{ids['visit']}'] .tlw-title")
    assert driver.execute_script("return getComputedStyle(arguments[0]).direction", title) == "ltr"
    path = screenshot(driver, "widget.png")
    assert path.stat().st_size > 10_000
    # The README's picture is refreshed from the same run when asked to (UPDATE_DOCS_SCREENSHOT=1).
    import os

    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copy(path, ARTIFACTS.parent / "docs" / "widget.png")


def test_widget_embeds_into_another_page(browser, live_server, tmp_path):
    base, ids = live_server
    browser.get(base + "/static/widget/widget.css")  # any page of ours, then replace its document
    browser.execute_script(
        "document.open(); document.write(arguments[0]); document.close();",
        f"""<!doctype html><html><body><h1>Host page</h1><section id="embed"></section>
        <script src="{base}/widget.js" data-api="{base}" data-target="#embed" data-query="type=talks"></script>
        </body></html>""",
    )
    assert _wait_for_ids(browser, [str(ids["talks"])]) == [str(ids["talks"])]
    assert browser.find_element(By.CSS_SELECTOR, "#embed .tlw-filters")
