"""5,000 events: the page loads only the visible window, zooms without errors, and says how long it took."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from service.models import Event
from tests.browser.conftest import MANY, console_errors, screenshot

pytestmark = pytest.mark.browser


def settled(driver, after: int) -> dict:  # type: ignore[no-untyped-def]
    """The widget's state once a window load newer than `after` has been drawn."""
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script(
            "const r = document.querySelector('.tlw');"
            "return !!r && r.dataset.ready === 'true' && Number(r.dataset.generation) > arguments[0]",
            after,
        )
    )
    return driver.execute_script("return {...document.querySelector('.tlw').dataset}")


def stored_between(app, start: str, end: str) -> int:  # type: ignore[no-untyped-def]
    """How many stored events overlap [start, end]."""
    from datetime import date

    with app.app_context():
        session = app.extensions["sessionmaker"]()
        try:
            query = select(func.count()).where(
                Event.date_end >= date.fromisoformat(start), Event.date_start <= date.fromisoformat(end)
            )
            return session.scalar(query)
        finally:
            session.close()


def test_five_thousand_events_load_and_zoom_without_errors(browser, many_server):
    base, count, app = many_server
    assert count == MANY
    browser.set_window_size(1280, 900)
    began = time.perf_counter()
    browser.get(base + "/")
    first = settled(browser, 0)
    wall = time.perf_counter() - began
    print(
        f"\n{MANY} events: first render {first['firstRenderMs']} ms after widget.js ran,"
        f" {wall * 1000:.0f} ms after navigation; {first['count']} events drawn"
    )
    # Zoomed out over ten years only a capped sample is drawn, and the dense slices say so.
    assert 0 < int(first["count"]) <= 400 and int(first["dense"]) > 0  # DRAW_CAP, marked dense
    assert browser.find_element("css selector", ".tlw-notice").is_displayed()
    assert browser.find_elements("css selector", ".vis-item.vis-cluster")  # dense periods are clustered
    screenshot(browser, "timeline-5000.png")

    # Zoom in step by step, as a reader with a mouse wheel would; each window is fetched on its own.
    state = first
    for _ in range(3):
        generation = int(state["generation"])
        browser.execute_script("document.querySelector('#timeline').timelineWidget.timeline.zoomIn(0.7)")
        state = settled(browser, generation)
    assert int(state["count"]) <= 400  # DRAW_CAP
    generation = int(state["generation"])
    browser.execute_script(
        "document.querySelector('#timeline').timelineWidget.timeline.setWindow('2018-03-01', '2018-05-01')"
    )
    state = settled(browser, generation)
    assert int(state["dense"]) == 0  # two months: everything in the window is drawn ...
    assert int(state["count"]) == stored_between(app, state["from"], state["to"])  # ... and nothing else
    generation = int(state["generation"])
    browser.execute_script(
        "const t = document.querySelector('#timeline').timelineWidget.timeline; t.moveTo(new Date('2019-06-01'))"
    )
    state = settled(browser, generation)
    assert int(state["count"]) == stored_between(app, state["from"], state["to"])
    assert console_errors(browser) == []
    screenshot(browser, "timeline-5000-zoomed.png")
