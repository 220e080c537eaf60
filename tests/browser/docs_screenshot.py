"""Regenerate docs/widget.png from real pipeline output: the five seed articles ingested through the API.

.venv/bin/python -m tests.browser.docs_screenshot [SEEDS_DIR]   (default ../shared/seeds)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, serve

ROOT = Path(__file__).resolve().parents[2]


def ingest(base: str, seeds: Path) -> int:
    """POST every article of the seed manifest; returns how many events the pipeline made."""
    manifest = json.loads((seeds / "manifest.json").read_text(encoding="utf-8"))
    for article in manifest["articles"]:
        body = {
            "text": (seeds / article["file"]).read_text(encoding="utf-8"),
            "published_at": article["published_at"],
            "source": article["source"],
            "language": article["language"],
        }
        request = urllib.request.Request(
            f"{base}/api/v1/articles",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=120).read()
    for language in ("en", "ar"):  # the titles the README quotes
        with urllib.request.urlopen(
            f"{base}/api/v1/events?limit=500&lang={language}", timeout=30
        ) as response:
            items = json.load(response)["items"]
        for event in items:
            print(f"{language} {event['date']['start']} {event['title']}")
    return len(items)


def main(seeds: Path) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="docs-screenshot-"))
    with serve(f"sqlite:///{workdir / 'timeline.db'}", lambda session: None) as (base, _, _app):
        print("events from the seeds:", ingest(base, seeds))
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,820", "--lang=en-GB"):
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={workdir / 'profile'}")
        driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
        try:
            # Arabic first: titles and names as the API renders them
            driver.get(base + "/?lanes=type&lang=ar")
            WebDriverWait(driver, 60).until(
                lambda d: d.execute_script("return document.querySelector('.tlw')?.dataset.ready === 'true'")
            )
            items = driver.find_elements(By.CSS_SELECTOR, ".vis-item .tlw-item")
            if items:
                items[len(items) // 2].click()
                WebDriverWait(driver, 20).until(
                    lambda d: d.find_element(By.CSS_SELECTOR, ".tlw-detail").is_displayed()
                )
            ActionChains(driver).move_to_element(driver.find_element(By.CSS_SELECTOR, "h1")).perform()
            time.sleep(0.5)  # the hover tooltip fades
            driver.save_screenshot(str(ROOT / "docs" / "widget.png"))
            print("wrote", ROOT / "docs" / "widget.png")
        finally:
            driver.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds")
