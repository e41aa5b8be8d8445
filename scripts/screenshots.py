"""Take the README's screenshots from a running demo (``stegvis demo``).

    python scripts/screenshots.py [http://127.0.0.1:8000]

Needs the test extras (Playwright) and Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "demo-stegvis-2026"  # noqa: S105 - the published demo password
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def login(page, username: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_url(f"{BASE}/")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(
            profile,
            executable_path="/usr/bin/chromium",
            args=ARGS,
            viewport={"width": 1280, "height": 860},
            locale="sv-SE",
        )
        page = browser.new_page()
        login(page, "samordnare.lerum")
        page.goto(f"{BASE}/participants/")
        page.screenshot(path=OUT / "participant-list.png")
        page.click("table tbody tr:first-child a")
        page.wait_for_load_state()
        page.screenshot(path=OUT / "participant-detail.png")
        page.goto(f"{BASE}/plans/my-actions/")
        page.screenshot(path=OUT / "my-actions.png")
        page.click("header form.logout-form button")
        login(page, "programledare")
        page.screenshot(path=OUT / "programme-overview.png")
        # Results: the programme dashboard as the programme manager sees it.
        page.goto(f"{BASE}/reports/")
        page.click("main a[href*='/reports/programme/'] >> nth=0")
        page.wait_for_load_state()
        page.screenshot(path=OUT / "dashboard.png")
        page.click("header form.logout-form button")

        # A teacher takes attendance on the phone: today's first session from the home page.
        phone = browser.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        login(phone, "personal.lerum.1")
        phone.click(".today-sessions a >> nth=0")
        phone.wait_for_load_state()
        phone.screenshot(path=OUT / "attendance-phone.png")

        # A one-time self-assessment link, opened on the participant's phone in Arabic.
        # (The pages share one browser profile: the phone's login is the staff member's too.)
        page.goto(f"{BASE}/participants/?status=active")
        page.click("table tbody tr:first-child a")
        enrollment = page.url.rstrip("/").rsplit("/", 1)[-1]
        page.goto(f"{BASE}/progression/{enrollment}/link/")
        page.select_option("#id_version", index=1)
        page.select_option("#id_point", "start")
        page.click("main form button[type=submit]")
        page.wait_for_selector("#selfservice-url")
        url = page.locator("#selfservice-url").inner_text()
        phone.click("header form.logout-form button")
        phone.goto(url)
        phone.click("button[value=ar]")
        phone.wait_for_load_state()
        phone.screenshot(path=OUT / "self-assessment-arabic.png")
        browser.close()


if __name__ == "__main__":
    main()
