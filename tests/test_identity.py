"""Record identity on both stores and every path: a second, distinct attack at one site on one
day is a second record; only the same explicit identity revises; a likely duplicate is flagged
for an analyst, never merged by itself.

The two-attacks case (``tests/fixtures/two_attacks``): at Al-Asad on 2024-02-10 a drone was
shot down, and rockets hit.  Each path below takes the two one after the other and must keep
both: import of GeoJSON, our CSV, ACLED and UCDP files, ``geo ingest`` of two articles, and the
review page (a candidate with no look-alike, and one kept separate from its look-alike).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo.identity import compatible_figures, likely_duplicate
from geo.importers import write_csv
from geo.ingest import import_file, ingest_articles
from geo.io.geojson import read_incidents
from geo.model import Incident
from geo.paths import ROOT
from geo.review import Decision, resolve_pair, save_reviewed
from geo.store import Store, open_store
from tests.test_importers import UCDP_COLUMNS, acled_row, ucdp_row, write_rows

TWO = ROOT / "tests" / "fixtures" / "two_attacks"
DRONE = TWO / "drone_shot_down.geojson"
ROCKETS = TWO / "rockets_hit.geojson"
DRONE_AGAIN = TWO / "drone_another_report.geojson"  # another report of the drone
TODAY = date(2026, 1, 15)
DAY = date(2024, 2, 10)


def at_al_asad(store: Store) -> list[Incident]:
    """The store's current records at Al-Asad on the day, by weapon."""
    found = [i for i in store.incidents() if i.site_id == "al_asad" and i.date_start == DAY]
    return sorted(found, key=lambda i: i.weapons)


def assert_both_kept(store: Store, second: Any) -> None:
    """Both attacks stored, each with its own values and no history (nothing was replaced)."""
    assert (second.stored, second.revised, second.duplicates) == (1, 0, 0)
    drone, rockets = at_al_asad(store)
    assert drone.weapons == ("drone",) and drone.outcome == "intercepted"
    assert rockets.weapons == ("rocket",) and rockets.outcome == "impact"
    assert drone.id != rockets.id
    assert len(store.history(drone.id)) == len(store.history(rockets.id)) == 1
    assert second.likely_duplicates == 0  # other weapons, other figures: not look-alikes


# --- import: GeoJSON, our CSV, ACLED, UCDP -----------------------------------------------------


def test_geojson_two_attacks_one_after_the_other(store: Store) -> None:
    assert import_file(store, DRONE, parallel=False).stored == 1
    second = import_file(store, ROCKETS, parallel=False)
    assert_both_kept(store, second)
    for path in (DRONE, ROCKETS):  # a re-import adds nothing
        again = import_file(store, path, parallel=False)
        assert (again.stored, again.revised, again.duplicates) == (0, 0, 1)
    assert store.count() == 2


def _csv_without_ids(source: Path, out: Path) -> Path:
    """Our CSV of a GeoJSON file's incidents with the id column left empty (as a hand-made
    file has it)."""
    write_csv(read_incidents(source), out)
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["id"] for r in rows)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "id": ""} for r in rows)
    return out


def test_csv_two_attacks_one_after_the_other(store: Store, tmp_path: Path) -> None:
    drone = _csv_without_ids(DRONE, tmp_path / "drone.csv")
    rockets = _csv_without_ids(ROCKETS, tmp_path / "rockets.csv")
    assert import_file(store, drone, parallel=False).stored == 1
    assert_both_kept(store, import_file(store, rockets, parallel=False))
    assert import_file(store, rockets, parallel=False).duplicates == 1


def test_csv_row_with_the_same_identity_revises(store: Store, tmp_path: Path) -> None:
    """The same place, dates and source with a corrected figure: the same record, revised,
    its old values in the history."""
    first = _csv_without_ids(DRONE, tmp_path / "drone.csv")
    import_file(store, first, parallel=False)
    corrected = tmp_path / "drone-corrected.csv"
    text = first.read_text(encoding="utf-8")
    assert text.count(",intercepted,") == 1
    corrected.write_text(text.replace(",intercepted,", ",mixed,"), encoding="utf-8")
    again = import_file(store, corrected, parallel=False)
    assert (again.stored, again.revised) == (0, 1)
    [drone] = at_al_asad(store)
    assert drone.outcome == "mixed"
    assert [v.outcome for _b, v in store.history(drone.id)] == ["intercepted", "mixed"]


ACLED_DAY = {"event_date": "2024-02-10", "year": "2024", "timestamp": "1707700000"}


def test_acled_two_attacks_one_after_the_other(store: Store, tmp_path: Path) -> None:
    drone = acled_row(
        event_id_cnty="IRQ2001",
        notes="Test row: a drone launched at Ain al Asad was shot down on 10 February 2024.",
        **ACLED_DAY,
    )
    rockets = acled_row(
        event_id_cnty="IRQ2002",
        sub_event_type="Shelling/artillery/missile attack",
        notes="Test row: rockets hit Ain al Asad on 10 February 2024.",
        **ACLED_DAY,
    )
    a = write_rows(tmp_path / "acled-a.csv", [drone])
    b = write_rows(tmp_path / "acled-b.csv", [rockets])
    first = import_file(store, a, today=TODAY, parallel=False)
    second = import_file(store, b, today=TODAY, parallel=False)
    assert (first.stored, first.rejected, second.stored, second.revised) == (1, 0, 1, 0)
    ids = {i.id for i in store.incidents()}
    assert ids == {"acled:IRQ2001", "acled:IRQ2002"}
    # the same upstream id with new values is that record, revised
    changed = write_rows(tmp_path / "acled-a2.csv", [{**drone, "fatalities": "1"}])
    assert import_file(store, changed, today=TODAY, parallel=False).revised == 1
    assert len(store.history("acled:IRQ2001")) == 2 and store.count() == 2


def test_ucdp_two_attacks_one_after_the_other(store: Store, tmp_path: Path) -> None:
    common = {
        "type_of_violence": "1",
        "side_a": "Islamic Resistance in Iraq",
        "side_b": "Government of United States of America",
        "where_coordinates": "Ayn al Asad airbase",
        "adm_1": "Al Anbar governorate",
        "latitude": "33.7857",
        "longitude": "42.4412",
        "country": "Iraq",
        "iso3": "IRQ",
        "date_start": "2024-02-10 00:00:00.000",
        "date_end": "2024-02-10 00:00:00.000",
        "source_date": "2024-02-11",
    }
    a = write_rows(
        tmp_path / "ucdp-a.csv",
        [ucdp_row(id="700001", low="0", best="0", high="0", **common)],
        columns=UCDP_COLUMNS,
    )
    b = write_rows(
        tmp_path / "ucdp-b.csv",
        [ucdp_row(id="700002", low="1", best="1", high="2", **common)],
        columns=UCDP_COLUMNS,
    )
    first = import_file(store, a, today=TODAY, parallel=False)
    second = import_file(store, b, today=TODAY, parallel=False)
    assert (first.stored, first.rejected) == (1, 0), store.rejects(first.id)
    assert (second.stored, second.revised) == (1, 0)
    assert {i.id for i in store.incidents()} == {"ucdp:700001", "ucdp:700002"}


# --- likely duplicates: flagged, never merged by themselves ------------------------------------


def test_a_likely_duplicate_is_kept_and_flagged(store: Store) -> None:
    first = import_file(store, DRONE, parallel=False)
    import_file(store, ROCKETS, parallel=False)
    other = import_file(store, DRONE_AGAIN, parallel=False)
    assert (other.stored, other.revised, other.likely_duplicates) == (1, 0, 1)
    assert store.count() == 3  # nothing merged or replaced
    [flag] = store.likely_duplicates()
    assert flag.batch_id == other.id and flag.resolution is None
    [drone_id] = [i.id for i in read_incidents(DRONE)]
    assert flag.other_id == drone_id  # the drone of the first file, not the rockets
    assert store.get(flag.id).sources[0].article == "fixture-report-c"
    assert "same place" in flag.reason
    assert store.likely_duplicates(first.id) == []
    # re-importing the flagged file adds nothing and flags nothing again
    again = import_file(store, DRONE_AGAIN, parallel=False)
    assert (again.stored, again.likely_duplicates) == (0, 0)


def test_an_analyst_merges_a_flagged_pair(store: Store) -> None:
    import_file(store, DRONE, parallel=False)
    import_file(store, DRONE_AGAIN, parallel=False)
    [flag] = store.likely_duplicates()
    batch = resolve_pair(store, flag, merge=True)
    # both revised: the older with the newer's sources, the newer retired as rejected
    assert batch is not None and (batch.revised, batch.stored) == (2, 0)
    merged = store.get(flag.other_id)
    assert {s.article for s in merged.sources} == {"fixture-report-a", "fixture-report-c"}
    retired = store.get(flag.id)
    assert retired.review == "rejected" and flag.other_id in (retired.notes or "")
    assert store.likely_duplicates() == []
    [done] = store.likely_duplicates(open_only=False)
    assert done.resolution == "merged"


def test_an_analyst_keeps_a_flagged_pair_apart(store: Store) -> None:
    import_file(store, DRONE, parallel=False)
    import_file(store, DRONE_AGAIN, parallel=False)
    [flag] = store.likely_duplicates()
    batch = resolve_pair(store, flag, merge=False)
    # the decision is a review batch of its own, with its author, and no record in it
    assert (batch.format, batch.read, batch.stored, batch.revised) == ("review", 0, 0, 0)
    assert flag.id in batch.file_name and flag.other_id in batch.file_name
    assert batch.created_by == store.access().user
    assert store.batches()[-1] == batch
    assert store.likely_duplicates() == [] and store.count() == 2
    assert store.likely_duplicates(open_only=False)[0].resolution == "separate"
    with pytest.raises(Exception, match="no likely duplicate"):
        store.resolve_duplicate("nowhere", flag.other_id, "separate")


def test_the_duplicate_rule() -> None:
    [drone] = read_incidents(DRONE)
    [rockets] = read_incidents(ROCKETS)
    [again] = read_incidents(DRONE_AGAIN)
    d, r, a = (i.model_dump() for i in (drone, rockets, again))
    assert likely_duplicate(d, a) and likely_duplicate(a, d)
    assert likely_duplicate(d, r) is None  # drone and rockets: two events
    assert likely_duplicate(d, {**a, "date_start": date(2024, 2, 11), "date_end": DAY}) is None
    assert (
        likely_duplicate(d, {**a, "date_start": date(2024, 2, 11), "date_end": date(2024, 2, 12)})
        is None
    )
    assert likely_duplicate(d, {**a, "site_id": "tower_22"}) is None
    assert likely_duplicate(d, {**a, "killed_min": 2, "killed_max": 2}) is None  # 0 vs 2
    assert likely_duplicate(d, {**a, "review": "rejected"}) is None
    assert compatible_figures(None, None, 3, 3) and compatible_figures(1, None, 5, 5)
    assert not compatible_figures(0, 0, 1, 2) and compatible_figures(0, 2, 1, 2)


# --- geo ingest ---------------------------------------------------------------------------------


def test_ingest_two_articles_about_two_attacks(store: Store) -> None:
    published = date(2024, 2, 11)
    first, _, skipped = ingest_articles(store, [TWO / "drone_article.txt"], published)
    assert (first.stored, skipped) == (1, [])
    second, extraction, skipped = ingest_articles(store, [TWO / "rockets_article.txt"], published)
    assert skipped == []  # not "already in store"
    assert len(extraction.incidents) == 1
    assert_both_kept(store, second)
    assert {i.review for i in at_al_asad(store)} == {"pending"}
    _, _, skipped = ingest_articles(store, [TWO / "rockets_article.txt"], published)
    assert len(skipped) == 1 and store.count() == 2  # the same article again adds nothing


def test_cli_import_reports_likely_duplicates(store_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_STORE"}
    out = subprocess.run(
        [sys.executable, "-m", "geo", "import", str(DRONE), str(ROCKETS), str(DRONE_AGAIN),
         "--store", store_url],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["stored"], report["revised"], report["likely_duplicates"]) == (3, 0, 1)
    drone, rockets, again = report["files"]
    assert drone["flagged"] == [] and rockets["flagged"] == []
    [flag] = again["flagged"]
    assert flag["like"] == read_incidents(DRONE)[0].id


# --- the review page ----------------------------------------------------------------------------


def _review_page() -> None:
    from components import review_page

    review_page.render()


def _extract_on_the_page(text: str) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    at.text_area(key="rev_text").input(text)
    at.date_input(key="rev_published").set_value(date(2024, 2, 11))
    at.button(key="rev_extract").click().run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "1 candidate incident(s)"
    return at


def test_review_page_saves_a_second_attack_as_a_new_record(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_STORE", store_url)
    with open_store(store_url, bundled=False) as s:
        import_file(s, DRONE, parallel=False)
    at = _extract_on_the_page((TWO / "rockets_article.txt").read_text(encoding="utf-8"))
    assert len(at.selectbox) == 0  # rockets are no look-alike of the drone: no merge offered
    at.radio(key="rev_dec_0").set_value("accept").run()  # candidates start undecided
    at.button(key="rev_save").click().run()
    assert not at.exception, at.exception
    assert "Saved 1 incident: 1 new, 0 merged" in at.success[0].value
    with open_store(store_url, bundled=False) as s:
        drone, rockets = at_al_asad(s)
        assert (drone.weapons, rockets.weapons) == (("drone",), ("rocket",))
        assert len(s.history(drone.id)) == 1  # the drone was not replaced


def test_review_page_keep_it_separate(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A candidate that looks like a stored attack, kept separate by the analyst: stored as a
    new record beside it, and its likely-duplicate flag resolved as the analyst said."""
    monkeypatch.setenv("ATLAS_STORE", store_url)
    with open_store(store_url, bundled=False) as s:
        import_file(s, DRONE, parallel=False)
        import_file(s, ROCKETS, parallel=False)
        [drone_id] = [i.id for i in read_incidents(DRONE)]
    text = (TWO / "drone_article.txt").read_text(encoding="utf-8")  # another report
    at = _extract_on_the_page(text)
    at.radio(key="rev_dec_0").set_value("accept").run()  # candidates start undecided
    merge = at.selectbox(key="rev_merge_0")
    assert merge.value == drone_id  # offered, as the default
    merge.set_value("")  # "no, keep it separate"
    at.button(key="rev_save").click().run()
    assert not at.exception, at.exception
    assert "Saved 1 incident: 1 new, 0 merged" in at.success[0].value
    with open_store(store_url, bundled=False) as s:
        assert len(at_al_asad(s)) == 3  # (the page also brought the bundled file in)
        drones = [i for i in at_al_asad(s) if i.weapons == ("drone",)]
        assert len(drones) == 2 and len(s.history(drone_id)) == 1
        [flag] = s.likely_duplicates(open_only=False)
        assert (flag.other_id, flag.resolution) == (drone_id, "separate")
        assert s.likely_duplicates() == []


def test_save_reviewed_never_writes_over_a_stored_record(store: Store) -> None:
    """The page's save, without the page: a candidate read from another source at the same
    place and time is a new record even when nothing was offered to merge."""
    import_file(store, DRONE, parallel=False)
    [rockets] = read_incidents(ROCKETS)
    candidate = rockets.model_copy(update={"id": ""})
    candidate = Incident.model_validate({**candidate.model_dump(), "id": ""})
    batch = save_reviewed(store, [Decision(candidate)], "rockets")
    assert (batch.stored, batch.revised) == (1, 0) and store.count() == 2


@pytest.mark.parametrize("merge", [False, True])
def test_review_page_lists_flagged_pairs_to_merge_or_keep(
    store_url: str, monkeypatch: pytest.MonkeyPatch, merge: bool
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ATLAS_STORE", store_url)
    with open_store(store_url, bundled=False) as s:
        import_file(s, DRONE, parallel=False)
        import_file(s, DRONE_AGAIN, parallel=False)
        [flag] = s.likely_duplicates()
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert "Possible duplicates (1)" in [h.value for h in at.subheader]
    key = f"dup_{flag.id}_{flag.other_id}"
    at.button(key=f"{key}_merge" if merge else f"{key}_apart").click().run()
    assert not at.exception, at.exception
    assert "Possible duplicates (1)" not in [h.value for h in at.subheader]
    with open_store(store_url, bundled=False) as s:
        [done] = s.likely_duplicates(open_only=False)
        assert done.resolution == ("merged" if merge else "separate")
        # either answer is a review batch signed by whoever gave it
        last = s.batches()[-1]
        assert (last.format, last.created_by) == ("review", s.access().user)
        assert flag.id in last.file_name
        assert (s.get(flag.id).review == "rejected") is merge
