"""A coordinator imports a spreadsheet with mistakes, sees them by row and column, fixes the
file, imports it and finds the participants; every page passes axe-core."""

from __future__ import annotations

import pytest

from tests.transfer.conftest import HEADER, csv_file, person_row

from .conftest import assert_accessible, login

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def _upload(page, name, data):
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    with page.expect_navigation():
        page.locator("form[action$='/upload/'] button[type=submit]").click()


@pytest.mark.parametrize("viewport", [None, TABLET], ids=["desktop", "tablet"])
def test_import_with_errors_then_fixed(cast, live_server, page, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    login(page, live_server, cast.anna)
    page.get_by_role("navigation").locator("a[href$='/transfer/']").click()
    page.wait_for_url("**/transfer/")
    assert_accessible(page, "transfer-index")

    bad = person_row(2)
    bad[HEADER.index("Medborgarskap")] = "Atlantis"
    bad_date = person_row(3, start="2024-02-30")
    _upload(page, "deltagare.csv", csv_file([person_row(1), bad, bad_date]))
    table = page.locator("table.problems")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_inner_texts()[1:4] == ["3", "Medborgarskap", "Atlantis"]
    assert rows.nth(1).locator("td").all_inner_texts()[1:4] == ["4", "Startdatum", "2024-02-30"]
    assert page.locator("form[action$='/commit/']").count() == 0
    assert_accessible(page, "transfer-problems")

    _upload(page, "deltagare.csv", csv_file([person_row(1), person_row(2), person_row(3)]))
    assert page.locator("table.problems").count() == 0
    assert_accessible(page, "transfer-checked")
    with page.expect_navigation():
        page.locator("form[action$='/commit/'] button[type=submit]").click()
    assert_accessible(page, "transfer-done")

    with page.expect_navigation():
        page.locator("main a.button[href$='/participants/']").click()
    for n in (1, 2, 3):
        assert page.get_by_text(f"Efternamn{n}").count() >= 1
