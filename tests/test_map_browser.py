"""The map as a standalone page (inline assets) in Debian's Chromium: offline, playback on dates
either side of 2001-09-09 (folium #1268), and article text that cannot run as script."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from geo import query
from geo.gazetteer import Gazetteer
from geo.mapping import build_map
from geo.model import Incident, parse_incident

pytestmark = pytest.mark.browser

GAZ = Gazetteer.load()
EPOCH = date(1970, 1, 1)


def attack(site_id: str, day: str, **kw: Any) -> Incident:
    site = GAZ.get(site_id)
    data: dict[str, Any] = {
        "event_type": "attack", "date_start": day, "date_end": day, "date_precision": 1,
        "site_id": site_id, "location": site.name, "country": site.country, "geo_precision": 1,
        "latitude": site.latitude, "longitude": site.longitude, "weapons": ["rocket"],
        "sources": [{"article": "test", "published": day, "quote": "A test sentence."}],
    }  # fmt: skip
    data.update(kw)
    return parse_incident(data)


@pytest.fixture
def page(offline_page: Callable[..., Any]) -> Any:
    return offline_page()


def open_map(page: Any, incidents: list[Incident]) -> None:
    html = build_map(query.to_frame(incidents), GAZ, assets="inline").get_root().render()
    page.set_content(html)
    page.wait_for_selector("div.atlas-dot[data-incident-id]")


def set_day(page: Any, day: date) -> None:
    page.eval_on_selector(
        "input.atlas-day",
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }",
        (day - EPOCH).days,
    )


def test_playback_either_side_of_2001_09_09(page: Any) -> None:
    before = attack("al_asad", "2001-09-08")
    after = attack("al_tanf", "2001-09-10")
    later = attack("harir", "2001-12-01")
    open_map(page, [before, after, later])
    assert page.locator("div.atlas-dot").count() == 3
    label = page.locator(".atlas-day-label")
    for day, shown in ((date(2001, 9, 8), 1), (date(2001, 9, 9), 1), (date(2001, 9, 10), 2)):
        set_day(page, day)
        assert label.get_attribute("data-day") == day.isoformat()
        assert int(label.get_attribute("data-shown") or -1) == shown
        assert page.locator("div.atlas-dot:visible").count() == shown
    page.select_option("select.atlas-mode", "window")
    set_day(page, date(2001, 10, 20))  # 40 days on: both out of the 30-day window, 3rd to come
    assert page.locator("div.atlas-dot:visible").count() == 0
    set_day(page, date(2001, 12, 1))
    assert page.locator("div.atlas-dot:visible").count() == 1
    assert page.outside == []


PAYLOAD = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def test_payloads_in_article_text_do_not_run(page: Any) -> None:
    hostile = attack(
        "mosul", "2023-11-09", location=PAYLOAD, notes=PAYLOAD, damage=PAYLOAD,
        claimed_by=PAYLOAD,
        sources=[{"article": PAYLOAD, "published": "2023-11-11", "quote": PAYLOAD}],
    )  # fmt: skip
    open_map(page, [hostile])
    page.locator("div.atlas-dot").first.click()
    popup = page.locator(".atlas-popup")
    popup.wait_for()
    assert PAYLOAD in popup.inner_text()  # shown as text
    assert page.evaluate("() => window.pwned") is None
    assert page.outside == []
