"""The timeline page and embeddable widget (vis-timeline) in a real headless chromium."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import console_errors, screenshot
from tests.factories import KNOWN

pytestmark = pytest.mark.browser

EVERYTHING = sorted(k.key for k in KNOWN)


def wait_ready(driver, generation: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Until the widget has drawn a window load newer than `generation`."""
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(
            "const r = document.querySelector('.tlw'); return !!r && (r.dataset.ready === 'true')"
            " && Number(r.dataset.generation || 0) > arguments[0]",
            generation,
        )
    )


def generation(driver) -> int:  # type: ignore[no-untyped-def]
    return int(driver.execute_script("return document.querySelector('.tlw').dataset.generation || 0"))


def shown(driver, ids: dict[str, int]) -> list[str]:  # type: ignore[no-untyped-def]
    """The KNOWN keys of the events loaded into the timeline."""
    by_id = {v: k for k, v in ids.items()}
    loaded = driver.execute_script(
        "return [...document.querySelector('#timeline, #embed').timelineWidget.loaded.keys()]"
    )
    return sorted(by_id[i] for i in loaded)


def item(driver, event_id: int) -> dict:  # type: ignore[no-untyped-def]
    """The vis-timeline item drawn for an event (lanes off)."""
    return driver.execute_script(
        "const it = document.querySelector('#timeline').timelineWidget.dataset.get(String(arguments[0]));"
        "return {type: it.type, start: +it.start, end: it.end ? +it.end : null, className: it.className,"
        " content: it.content}",
        event_id,
    )


def open_event(driver, event_id: int) -> None:  # type: ignore[no-untyped-def]
    """Click the event on the timeline and wait for its detail panel."""
    driver.find_element(By.CSS_SELECTOR, f".tlw-item[data-event-id='{event_id}']").click()
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script(
            "const p = document.querySelector('.tlw-detail'); return !p.hidden && p.dataset.eventId === arguments[0]",
            str(event_id),
        )
    )


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    base, ids = live_server
    browser.set_window_size(1280, 900)
    browser.get(base + "/")
    wait_ready(browser)
    console_errors(browser)  # start each test with an empty console
    return browser, ids, base


def test_events_are_drawn_as_points_and_ranges_with_coarse_dates_spanning_their_period(page):
    driver, ids, _ = page
    assert shown(driver, ids) == EVERYTHING
    call, visit, talks, agreement = (item(driver, ids[k]) for k in ("call", "visit", "talks", "agreement"))
    day = 86_400_000
    assert call["type"] == "point"
    assert visit["type"] == "range" and "tlw-coarse" in visit["className"]
    assert (visit["end"] - visit["start"]) == 31 * day and "May 2024" in visit["content"]  # the whole month
    assert (agreement["end"] - agreement["start"]) == 365 * day and "tlw-coarse" in agreement["className"]
    assert talks["type"] == "range" and "tlw-coarse" not in talks["className"]  # a range known to the day
    # the legend names each type shown, in its colour
    keys = driver.execute_script("return [...document.querySelectorAll('.tlw-key')].map(k => k.dataset.type)")
    assert sorted(keys) == sorted(k.type for k in KNOWN)
    assert driver.execute_script("return document.documentElement.lang") == "en"
    assert console_errors(driver) == []
    screenshot(driver, "timeline-desktop.png")


def test_a_filter_change_closes_the_detail_and_is_recorded_in_the_url(page):
    driver, ids, _ = page
    open_event(driver, ids["visit"])
    before = generation(driver)
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=type]")).select_by_value("talks")
    wait_ready(driver, before)
    assert shown(driver, ids) == ["talks"]
    assert driver.find_element(By.CSS_SELECTOR, ".tlw-detail").is_displayed() is False
    assert parse_qs(urlsplit(driver.current_url).query)["type"] == ["talks"]
    before = generation(driver)
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=type]")).select_by_value("")
    wait_ready(driver, before)
    before = generation(driver)
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=actor]")).select_by_value("vladimir-putin")
    wait_ready(driver, before)
    assert shown(driver, ids) == ["call", "talks"]
    before = generation(driver)
    search = driver.find_element(By.CSS_SELECTOR, "input[name=q]")
    search.send_keys("Cairo")
    wait_ready(driver, before)
    assert shown(driver, ids) == []  # Putin was not in Cairo: both filters apply
    assert console_errors(driver) == []


def test_date_range_from_the_view_and_permalinks_restore_the_view(page):
    driver, ids, base = page
    before = generation(driver)
    driver.execute_script(
        "document.querySelector('#timeline').timelineWidget.timeline.setWindow('2024-04-01', '2024-07-01',"
        " {animation: false})"
    )
    wait_ready(driver, before)
    before = generation(driver)
    driver.find_element(By.CSS_SELECTOR, ".tlw-use-view").click()  # brush: the view becomes the date filter
    wait_ready(driver, before)
    assert shown(driver, ids) == ["talks", "visit"]
    query = parse_qs(urlsplit(driver.current_url).query)
    assert query["from"] == ["2024-04-01"] and query["to"] == ["2024-07-01"]
    link = f"{base}/?type=talks&start=2024-05-01&end=2024-06-30&lanes=type&lang=ar"
    driver.get(link)
    wait_ready(driver)
    assert shown(driver, ids) == ["talks"]
    assert driver.execute_script("return [document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    assert driver.find_element(By.CSS_SELECTOR, "select[name=lanes]").get_attribute("value") == "type"
    assert driver.find_element(By.CSS_SELECTOR, "select[name=type]").get_attribute("value") == "talks"
    window = driver.execute_script(
        "const w = document.querySelector('#timeline').timelineWidget.timeline.getWindow();"
        "return [w.start.toISOString().slice(0, 10), w.end.toISOString().slice(0, 10)]"
    )
    assert window == ["2024-05-01", "2024-06-30"]
    assert driver.find_element(By.CSS_SELECTOR, "h1").text == "الخط الزمني للأحداث"
    assert driver.find_element(By.CSS_SELECTOR, ".vis-label").text == "محادثات"  # a lane per type, in Arabic
    driver.find_element(By.CSS_SELECTOR, ".tlw-lang").click()  # and back to English
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.documentElement.dir") == "ltr"
    )
    assert "lang=en" in driver.current_url
    assert console_errors(driver) == []


def test_detail_highlights_the_date_expression_and_renders_arabic_rtl(page):
    driver, ids, _ = page
    open_event(driver, ids["call"])
    detail = driver.find_element(By.CSS_SELECTOR, ".tlw-detail")
    sentence = detail.find_element(By.CSS_SELECTOR, ".tlw-sentence")
    call = next(k for k in KNOWN if k.key == "call")
    assert sentence.text == call.sentence
    assert detail.find_element(By.CSS_SELECTOR, "mark.tlw-expression").text == call.expression
    assert driver.execute_script("return getComputedStyle(arguments[0]).direction", sentence) == "rtl"
    assert detail.find_element(By.CSS_SELECTOR, ".tlw-when time").text == "3 March 2023"
    driver.find_element(By.CSS_SELECTOR, ".tlw-close").click()
    assert not detail.is_displayed()
    open_event(driver, ids["visit"])
    assert detail.find_element(By.CSS_SELECTOR, ".tlw-when time").text == "May 2024"  # a month, not 1 May
    assert screenshot(driver, "widget.png").stat().st_size > 10_000


def test_at_400_px_the_detail_opens_where_the_reader_is(page):
    driver, ids, base = page
    driver.set_window_size(400, 800)
    driver.get(base + "/")
    wait_ready(driver)
    driver.execute_script("window.scrollTo(0, 120)")
    open_event(driver, ids["visit"])
    top, bottom, width, height = driver.execute_script(
        "const r = document.querySelector('.tlw-detail').getBoundingClientRect();"
        "return [r.top, r.bottom, r.width, window.innerHeight]"
    )
    assert 0 <= top < bottom <= height + 1  # in the viewport, not far below the timeline
    assert width <= 400
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 400  # no sideways scroll
    screenshot(driver, "timeline-400px.png")
    assert console_errors(driver) == []


def test_dark_mode_follows_prefers_color_scheme(page):
    driver, _, base = page
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
    )
    try:
        driver.get(base + "/")
        wait_ready(driver)
        background = driver.execute_script(
            "return getComputedStyle(document.querySelector('.tlw')).backgroundColor"
        )
        screenshot(driver, "timeline-dark.png")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    red, green, blue = (int(part) for part in background[background.index("(") + 1 : -1].split(",")[:3])
    assert red + green + blue < 150  # a dark background


def host_page(driver, host: str, api: str, query: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """A page of another origin (`host`) embedding the widget from `api`."""
    driver.get(host + "/static/widget/widget.css")  # any page on that origin, then replace its document
    fixed = f' data-query="{query}"' if query else ""
    driver.execute_script(
        "document.open(); document.write(arguments[0]); document.close();",
        f"""<!doctype html><html><body><h1>Host page</h1><section id="embed"></section>
        <script src="{api}/widget.js" data-api="{api}" data-target="#embed"{fixed}></script></body></html>""",
    )


def other_origin(base: str) -> str:
    """The same server under another name: a different origin for the browser."""
    return base.replace("127.0.0.1", "localhost")


def test_an_embed_with_a_fixed_query_shows_only_that_filter(browser, live_app):
    base, ids, app = live_app
    host = other_origin(base)
    app.config["CORS_ORIGINS"] = [host]
    try:
        host_page(browser, host, base, "type=talks")
        wait_ready(browser)
        assert shown(browser, ids) == ["talks"]
        before = generation(browser)
        options = browser.execute_script(
            "return [...document.querySelectorAll('#embed select[name=actor] option')].map(o => o.value)"
        )
        assert sorted(options) == ["", "hakan-fidan", "vladimir-putin"]  # the actors of the fixed filter
        browser.find_element(By.CSS_SELECTOR, "#embed input[name=q]").send_keys("Cairo")
        wait_ready(browser, before)
        assert shown(browser, ids) == []  # the reader's filters narrow the fixed one, never widen it
        assert "type=talks" not in browser.current_url  # an embed leaves its host's URL alone
    finally:
        app.config["CORS_ORIGINS"] = []


def test_an_embed_without_cors_says_which_setting_to_change(browser, live_server):
    base, _ = live_server
    host = other_origin(base)
    host_page(browser, host, base)
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.querySelector('.tlw')?.dataset.error === 'cors'")
    )
    message = browser.find_element(By.CSS_SELECTOR, "#embed .tlw-notice").text
    assert "CORS_ORIGINS" in message and host in message
    console_errors(browser)  # the refused requests are logged by the browser itself


def titles(driver) -> list[str]:  # type: ignore[no-untyped-def]
    """The titles drawn on the timeline's items, in id order."""
    return driver.execute_script(
        "return [...document.querySelector('#timeline').timelineWidget.loaded.values()]"
        ".sort((a, b) => a.id - b.id).map(e => e.title)"
    )


def test_the_page_in_arabic_shows_arabic_titles_right_to_left_and_switches_back(browser, live_server):
    base, ids = live_server
    browser.set_window_size(1280, 900)
    browser.get(base + "/?lang=ar")
    wait_ready(browser)
    console_errors(browser)  # forget the previous page's aborted requests
    html = browser.execute_script("return [document.documentElement.lang, document.documentElement.dir]")
    assert html == ["ar", "rtl"]
    arabic = titles(browser)
    assert "زيارة هاكان فيدان إلى القاهرة" in arabic
    drawn = browser.find_element(By.CSS_SELECTOR, f".tlw-item[data-event-id='{ids['visit']}']")
    assert "زيارة هاكان فيدان إلى القاهرة" in drawn.text
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", drawn) == "rtl"
    open_event(browser, ids["talks"])
    detail = browser.find_element(By.CSS_SELECTOR, ".tlw-detail")
    assert (
        detail.find_element(By.CSS_SELECTOR, ".tlw-detail-title").text
        == "محادثات بين هاكان فيدان وفلاديمير بوتين في موسكو"
    )
    assert "فلاديمير بوتين" in [a.text for a in detail.find_elements(By.CSS_SELECTOR, ".tlw-actor")]
    csv_link = browser.find_element(By.CSS_SELECTOR, "a[data-tlw-export]").get_attribute("href")
    assert "lang=ar" in csv_link
    screenshot(browser, "timeline-arabic.png")
    before = generation(browser)
    browser.find_element(By.CSS_SELECTOR, ".tlw-lang").click()  # to English: the titles are fetched again
    wait_ready(browser, before)
    assert browser.execute_script("return document.documentElement.dir") == "ltr"
    assert "Hakan Fidan visits Cairo" in titles(browser)
    assert not set(arabic) & set(titles(browser))
    assert "lang=en" in browser.find_element(By.CSS_SELECTOR, "a[data-tlw-export]").get_attribute("href")
    assert console_errors(browser) == []


def actor_choices(driver) -> set[str]:  # type: ignore[no-untyped-def]
    return {o.text for o in Select(driver.find_element(By.CSS_SELECTOR, "select[name=actor]")).options[1:]}


def test_the_actor_list_names_actors_outside_the_view_in_the_page_language(browser, live_server):
    # Only the phone call (Putin, Xi) is in view: Fidan and Turkey come from /stats/actors alone.
    base, _ = live_server
    browser.get(base + "/?lang=ar&start=2023-02-01&end=2023-04-01")
    wait_ready(browser)
    WebDriverWait(browser, 10).until(lambda d: "هاكان فيدان" in actor_choices(d))
    assert {"تركيا", "فلاديمير بوتين"} <= actor_choices(browser)
    assert not {"Hakan Fidan", "Turkey"} & actor_choices(browser)
    before = generation(browser)
    browser.find_element(By.CSS_SELECTOR, ".tlw-lang").click()  # to English: the list is asked for again
    wait_ready(browser, before)
    WebDriverWait(browser, 10).until(lambda d: {"Hakan Fidan", "Turkey"} <= actor_choices(d))
    assert "هاكان فيدان" not in actor_choices(browser)
    assert console_errors(browser) == []
