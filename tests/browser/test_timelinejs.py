"""Our TimelineJS export loaded into the real TimelineJS library (vendored from the npm registry)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import screenshot
from tests.factories import KNOWN

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{base}/static/vendor/timelinejs/css/timeline.css"></head>
<body><div id="tl" style="width: 1100px; height: 650px"></div>
<script src="{base}/static/vendor/timelinejs/js/timeline.js"></script>
<script>
  window.tlErrors = [];
  fetch("{base}/api/v1/events/export?format=timelinejs")
    .then((response) => response.json())
    .then((data) => {{
      window.tl = new TL.Timeline("tl", data, {{
        script_path: "{base}/static/vendor/timelinejs/js/", language: "en", font: null, hash_bookmark: false
      }});
      window.tl.on("loaded", () => (window.tlLoaded = true));
    }})
    .catch((error) => window.tlErrors.push(String(error)));
</script></body></html>"""


def test_timelinejs_renders_our_export_with_month_dates_as_months(browser, live_server):
    base, ids = live_server
    browser.get(base + "/static/widget/widget.css")  # a page on our origin, then our test document
    browser.execute_script(
        "document.open(); document.write(arguments[0]); document.close();", PAGE.format(base=base)
    )
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return window.tlLoaded === true"))
    assert browser.execute_script("return window.tlErrors") == []
    slides = browser.execute_script(
        "return [...document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide)')].map(s => ({"
        " id: s.id, headline: (s.querySelector('.tl-headline') || {}).textContent,"
        " date: (s.querySelector('.tl-headline-date') || {}).textContent }))"
    )
    by_id = {slide["id"]: slide for slide in slides}
    assert len(by_id) == len(KNOWN)
    visit = by_id[f"event-{ids['visit']}"]
    assert visit["headline"] == "Hakan Fidan visits Cairo"
    assert visit["date"] == "May 2024"  # month-level: shown as a month, not as 1 May 2024
    assert by_id[f"event-{ids['agreement']}"]["date"] == "2022"
    assert "3" in by_id[f"event-{ids['call']}"]["date"] and "2023" in by_id[f"event-{ids['call']}"]["date"]
    markers = browser.find_elements(By.CSS_SELECTOR, ".tl-timemarker")
    assert len(markers) == len(KNOWN)
    screenshot(browser, "timelinejs.png")
