"""The Streamlit app headless (AppTest): narrowing the range changes what the page reports.

The map itself is an opaque component here; its content is tested in test_map.py and in the
browser (test_browser.py).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import query
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_bundled, read_incidents
from geo.markup import esc
from geo.paths import BUNDLED_GEOJSON, ROOT

#: what the app opens on: every bundled file (the seed incidents and the campaign)
BUNDLED = read_bundled()
BUNDLED_IDS = {i.id for i in BUNDLED}
FRAME = query.to_frame(BUNDLED)
SPAN = query.span(FRAME)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ATLAS_STORE", str(tmp_path / "atlas.sqlite"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def summary_of(at: AppTest) -> list[tuple[str, int]]:
    table = next(d for d in at.dataframe if "Days since" in d.value.columns)
    return list(zip(table.value["Site"], table.value["Attacks"], strict=True))


def expected(start: date, end: date) -> list[tuple[str, int]]:
    """The site summary as the map page builds it: bases without a coordinate (precision
    coarser than the summaries take) are listed with the unlocated incidents instead."""
    filters = query.Filters(start=start, end=end)
    return [
        (r.site_name, r.incidents) for r in query.summaries(FRAME, filters, Gazetteer.load(), end)
    ]


def test_default_range_is_everything(app: AppTest) -> None:
    assert SPAN is not None
    assert app.session_state["atlas_range"] == SPAN
    assert summary_of(app) == expected(*SPAN)
    line = next(m.value for m in app.markdown if " attacks (" in m.value)
    assert line.startswith(f"**{int((FRAME['event_type'] == 'attack').sum())}** attacks (")


def test_narrowing_the_range_changes_the_site_summary(app: AppTest) -> None:
    assert SPAN is not None
    before = summary_of(app)
    app.date_input(key="range_from").set_value(date(2024, 1, 1)).run()
    assert not app.exception, app.exception
    after = summary_of(app)
    assert after == expected(date(2024, 1, 1), SPAN[1])
    assert after != before
    last_attacked_in_2023 = Gazetteer.load().get("baghdad_airport").name
    assert last_attacked_in_2023 in dict(before) and last_attacked_in_2023 not in dict(after)
    # the slider follows the typed date
    assert app.slider(key="range_slider").value == (date(2024, 1, 1), SPAN[1])


def test_slider_moves_the_range(app: AppTest) -> None:
    assert SPAN is not None
    app.slider(key="range_slider").set_value((date(2023, 11, 1), date(2023, 11, 30))).run()
    assert summary_of(app) == expected(date(2023, 11, 1), date(2023, 11, 30))
    assert app.date_input(key="range_to").value == date(2023, 11, 30)


def test_picking_a_site_lists_its_incidents_and_sources(app: AppTest) -> None:
    app.selectbox(key="site_select").set_value("al_asad").run()
    assert not app.exception, app.exception
    assert any(h.value == "Al-Asad Airbase" for h in app.subheader)
    incident_tables = [d.value for d in app.dataframe if "Quote" in d.value.columns]
    assert len(incident_tables) == 1  # the site's (all incidents and unlocated: other tabs)
    site_table = incident_tables[0]
    assert len(site_table) == int((FRAME["site_id"] == "al_asad").sum())
    assert set(site_table["Site"]) == {"Al-Asad Airbase"}
    shown = " ".join(h.proto.body for h in app.get("html"))
    for quote in FRAME[FRAME["site_id"] == "al_asad"]["sources"].map(
        lambda s: query.sources_of(s)[0].quote
    ):
        assert esc(quote) in shown


def test_empty_range_says_so(app: AppTest) -> None:
    app.slider(key="range_slider").set_value((date(2023, 12, 1), date(2023, 12, 2))).run()
    assert not app.exception, app.exception
    assert any("No attacks on a known site" in i.value for i in app.info)


def _import_page() -> None:
    from components import import_page

    import_page.render()


def test_import_page_lists_the_batches(app: AppTest) -> None:
    at = AppTest.from_function(_import_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Import"
    batches = next(d.value for d in at.dataframe if "stored" in d.value.columns)
    # newest first: one batch per bundled file, a record an earlier file holds is revised
    newest_first = list(reversed(BUNDLED_GEOJSON))
    assert batches["file"].tolist() == [f"bundled:{p.name}" for p in newest_first]
    read = batches["read"].astype(int).tolist()
    assert read == [len(read_incidents(p)) for p in newest_first]
    stored, revised = batches["stored"].astype(int), batches["revised"].astype(int)
    assert (stored + revised).tolist() == read
    assert int(stored.sum()) == len(FRAME)


def test_as_of_picker_offers_every_batch(app: AppTest) -> None:
    picker = app.selectbox(key="as_of_batch")
    assert picker.options[0] == "now (latest import)"
    assert any("bundled:incidents.geojson" in o for o in picker.options[1:])


NEW_ARTICLE = (
    "A drone attack targeted US forces at the Conoco gas field in eastern Syria on Tuesday, "
    "a US defense official said. There were no injuries. The Islamic Resistance in Iraq later "
    "claimed responsibility for the attack. Officials said US forces have been attacked "
    "more than 150 times since October."
)


def _review_page() -> None:
    from components import review_page

    review_page.render()


def test_review_page_extracts_accepts_and_saves(app: AppTest, tmp_path: Path) -> None:
    from geo.store import open_store

    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    at.text_area(key="rev_text").input(NEW_ARTICLE)
    at.date_input(key="rev_published").set_value(date(2024, 2, 7))
    at.button(key="rev_extract").click().run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "1 candidate incident(s)"
    evidence = " ".join(h.proto.body for h in at.get("html"))
    assert "<mark>A drone attack targeted US forces at the Conoco gas field" in evidence
    assert "150 times" in evidence  # shown, but among the sentences that are not incidents
    # undecided until the analyst chooses: nothing to save yet
    assert at.radio(key="rev_dec_0").value is None
    assert at.button(key="rev_save").disabled
    at.radio(key="rev_dec_0").set_value("accept").run()
    at.button(key="rev_save").click().run()
    assert not at.exception, at.exception
    assert "Saved 1 incident: 1 new" in at.success[0].value
    # the next article's candidates start undecided too
    assert "rev_dec_0" not in at.session_state
    store = open_store(os.environ["ATLAS_STORE"])
    saved = store.frame()
    new = saved[~saved["id"].isin(BUNDLED_IDS)]
    assert len(saved) == len(BUNDLED) + 1
    conoco = new[new["site_id"] == "conoco"]
    assert len(conoco) == 1 and conoco["review"].iloc[0] == "accepted"
    assert conoco["date_start"].iloc[0] == date(2024, 2, 6)
    assert conoco["claimed_by"].iloc[0] == "Islamic Resistance in Iraq"


def test_review_page_suggests_merging_a_known_attack(app: AppTest) -> None:
    from geo.store import open_store

    text = (
        "Drones targeted Ain al-Asad air base on Thursday, and air defenses intercepted them, "
        "officials said."
    )
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    at.text_area(key="rev_text").input(text)
    at.date_input(key="rev_published").set_value(date(2023, 11, 10))
    at.button(key="rev_extract").click().run()
    at.radio(key="rev_dec_0").set_value("accept").run()
    merge = at.selectbox(key="rev_merge_0")
    known = FRAME[(FRAME["site_id"] == "al_asad") & (FRAME["date_start"] == date(2023, 11, 9))]
    target = merge.value  # the card goes once saved
    assert target == known["id"].iloc[0]
    at.button(key="rev_save").click().run()
    assert "1 merged" in at.success[0].value
    merged = open_store(os.environ["ATLAS_STORE"]).get(target)
    assert len(merged.sources) == len(query.sources_of(known["sources"].iloc[0])) + 1


def test_edit_refuses_a_bad_casualty_range(app: AppTest) -> None:
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    at.text_area(key="rev_text").input(NEW_ARTICLE)
    at.date_input(key="rev_published").set_value(date(2024, 2, 7))
    at.button(key="rev_extract").click().run()
    at.radio(key="rev_dec_0").set_value("edit").run()
    at.text_input(key="rev_k_0").input("5–2").run()
    assert at.error and any("killed_min" in h.proto.body for h in at.get("html"))
    assert at.button(key="rev_save").disabled


def _extract(
    text: str | None = None,
    upload: tuple[str, bytes] | None = None,
    published: date | None = date(2024, 2, 7),
) -> AppTest:
    """The review page after pressing Extract on ``text`` (pasted) or ``upload`` (name, bytes);
    ``published`` None leaves the date to what the text states."""
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    if text is not None:
        at.text_area(key="rev_text").input(text)
    if upload is not None:
        name, content = upload
        at.get("file_uploader")[0].set_value((name, content, "text/plain"))
    if published is not None:
        at.date_input(key="rev_published").set_value(published)
    at.button(key="rev_extract").click().run()
    assert not at.exception, at.exception
    return at


def _padded(length: int) -> str:
    """NEW_ARTICLE followed by filler paragraphs, ``length`` characters in all."""
    filler = "\n\nThe council met on Monday to discuss the water supply and the roads."
    text = NEW_ARTICLE + filler * (length // len(filler) + 1)
    return text[:length]


def test_review_page_caps_the_article_size(app: AppTest) -> None:
    """A pasted article over MAX_ARTICLE_CHARS is refused with a message, before extraction
    (which takes seconds per 100,000 characters); one of exactly that length is read."""
    from components.review_page import MAX_ARTICLE_CHARS

    assert MAX_ARTICLE_CHARS == 200_000
    at = _extract(_padded(MAX_ARTICLE_CHARS + 1))
    message = " ".join(e.value for e in at.error)
    assert f"{MAX_ARTICLE_CHARS + 1:,} characters" in message
    assert f"up to {MAX_ARTICLE_CHARS:,}" in message and "Nothing was extracted" in message
    assert not at.subheader and "rev_extraction" not in at.session_state
    at = _extract(_padded(MAX_ARTICLE_CHARS))
    assert not at.error and at.subheader[0].value == "1 candidate incident(s)"


def test_review_page_caps_uploads_too(app: AppTest) -> None:
    from components.review_page import MAX_ARTICLE_CHARS

    at = _extract(upload=("long.txt", _padded(MAX_ARTICLE_CHARS + 10).encode()))
    assert any(f"up to {MAX_ARTICLE_CHARS:,}" in e.value for e in at.error)
    assert not at.subheader


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x0c"])
def test_review_page_refuses_control_characters(app: AppTest, char: str) -> None:
    """NUL (and the other C0 controls but tab and line breaks) in a pasted article: a message,
    nothing extracted, nothing stored -- never a traceback or a quote the store cannot hold."""
    from geo.store import open_store

    at = _extract(NEW_ARTICLE.replace("Tuesday", f"Tues{char}day"))
    message = " ".join(e.value for e in at.error)
    assert "Nothing was extracted" in message
    assert ("NUL" if char == "\x00" else f"U+{ord(char):04X}") in message
    assert not at.subheader and "rev_extraction" not in at.session_state
    saved = open_store(os.environ["ATLAS_STORE"]).frame()
    assert set(saved["id"]) == BUNDLED_IDS  # the bundled files only: nothing was stored


def test_review_page_refuses_an_upload_with_control_characters(app: AppTest) -> None:
    at = _extract(upload=("a\x1b[2Jb.txt", NEW_ARTICLE.encode()))
    assert any("name holds a control character" in e.value for e in at.error)
    at = _extract(upload=("nul.txt", NEW_ARTICLE.replace("Tuesday", "Tues\x00day").encode()))
    assert any("NUL" in e.value for e in at.error) and not at.subheader


def test_errors_show_no_details(app: AppTest) -> None:
    """.streamlit/config.toml: an unexpected exception shows users Streamlit's generic message,
    not its type, text or traceback ("none", the least revealing of full / stacktrace / type /
    none that still shows an error; the console keeps the details)."""
    import tomllib

    from streamlit import config

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["showErrorDetails"] == "none"
    assert config.ShowErrorDetailsConfigOptions.NONE.value == "none"
    assert config.get_option("client.showErrorDetails") == "none"  # as the app reads it

    def boom() -> None:
        raise RuntimeError("secret-detail in /srv/atlas/components/x.py")

    at = AppTest.from_function(boom)
    at.run()
    assert len(at.exception) == 1  # the user is told something went wrong...
    shown = at.exception[0]
    assert "secret-detail" not in shown.message and not shown.stack_trace  # ...and no more
    assert "RuntimeError" not in str(shown.proto)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2023, 11, 9), date(2023, 11, 9)),  # one day
        (date(2024, 7, 29), date(2024, 8, 1)),  # only unlocated incidents in range
    ],
)
def test_narrow_and_unlocated_ranges_render(app: AppTest, start: date, end: date) -> None:
    app.slider(key="range_slider").set_value((start, end)).run()
    assert not app.exception, app.exception
    frame = query.apply(FRAME, query.Filters(start=start, end=end))
    if expected(start, end):
        assert summary_of(app) == expected(start, end)
    else:
        assert any("No attacks on a known site" in i.value for i in app.info)
    assert not [d for d in app.dataframe if "Place known to" in d.value.columns]  # closed tab
    app.session_state["atlas_tab"] = "Unlocated"
    app.run()
    unlocated = next(d.value for d in app.dataframe if "Place known to" in d.value.columns)
    assert len(unlocated) == int(frame["longitude"].isna().sum())


def test_the_export_panel_offers_every_format(app: AppTest) -> None:
    from geo.export import FORMATS

    buttons = app.get("download_button")
    labels = {b.proto.label for b in buttons}
    assert labels >= {exporter.label for exporter in FORMATS.values()}
    assert len(FORMATS) == 8


def test_review_page_reads_the_date_header_of_pasted_text(app: AppTest) -> None:
    """A pasted article with a ` date YYYY-MM-DD` header is read against that day, not today:
    its 'Saturday' is the Saturday before 2024-02-05."""
    at = _extract(
        " date 2024-02-05\nA drone attack targeted US forces at the Conoco gas field on Saturday, "
        "the Islamic Resistance in Iraq claimed.",
        published=None,
    )
    assert any("from the date header" in c.value for c in at.caption)
    extraction = at.session_state["rev_extraction"]
    (cand,) = extraction.incidents
    assert (cand.date_start, cand.date_end) == (date(2024, 2, 3), date(2024, 2, 3))


def test_review_page_reads_a_dateline(app: AppTest) -> None:
    at = _extract(
        "BAGHDAD, Feb. 5, 2024 (Wire) - A drone attack targeted US forces at the Conoco gas "
        "field on Saturday, the Islamic Resistance in Iraq claimed.",
        published=None,
    )
    (cand,) = at.session_state["rev_extraction"].incidents
    assert cand.date_start == date(2024, 2, 3)


def test_review_page_never_takes_today_for_an_undated_text(app: AppTest) -> None:
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    at.text_area(key="rev_text").input(NEW_ARTICLE)
    at.button(key="rev_extract").click().run()
    assert not at.exception, at.exception
    assert at.error and "states no publication date" in at.error[0].value
    assert "rev_extraction" not in at.session_state


def test_show_saved_on_the_map_widens_a_narrowed_range(app: AppTest) -> None:
    from components.review_page import SAVED, Saved

    at = AppTest.from_function(_review_page, default_timeout=60)
    at.session_state["atlas_range"] = (date(2024, 1, 1), date(2024, 1, 31))  # narrowed
    at.session_state[SAVED] = Saved(
        count=2,
        stored=2,
        revised=0,
        duplicates=0,
        start=date(2023, 11, 9),
        end=date(2023, 11, 12),
        sites=("al_asad",),
    )
    at.run()
    assert "Saved 2 incidents: 2 new" in at.success[0].value
    at.button(key="rev_show").click().run()
    # the range now holds the saved incidents, the lone site is selected, the report is done
    assert at.session_state["atlas_range"] == (date(2023, 11, 9), date(2024, 1, 31))
    assert at.session_state["atlas_selected_site"] == "al_asad"
    assert SAVED not in at.session_state


def test_a_new_article_starts_undecided_again(app: AppTest) -> None:
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    at.text_area(key="rev_text").input(NEW_ARTICLE)
    at.date_input(key="rev_published").set_value(date(2024, 2, 7))
    at.button(key="rev_extract").click().run()
    at.radio(key="rev_dec_0").set_value("accept").run()
    assert at.radio(key="rev_dec_0").value == "accept"
    # another article, not saved in between: its first card is not the last one's
    at.date_input(key="rev_published").set_value(date(2024, 2, 8))
    at.button(key="rev_extract").click().run()
    assert not at.exception, at.exception
    assert at.radio(key="rev_dec_0").value is None
    assert at.button(key="rev_save").disabled


def test_review_page_says_which_rule_read_each_field(app: AppTest) -> None:
    """Each candidate lists the rule behind its fields: the date rule and its phrase, the
    gazetteer for the place, the casualty rule."""
    at = _extract(
        " date 2024-02-05\nA drone attack targeted US forces at the Conoco gas field on "
        "Saturday. There were no injuries.",
        published=None,
    )
    html = " ".join(h.proto.body for h in at.get("html"))
    table = html[html.index('class="atlas-rules"') :]
    assert "date rule &#x27;weekday&#x27; on &#x27;Saturday&#x27;" in table
    assert "a site of the gazetteer" in table
    assert "&#x27;no injuries&#x27;: none" in table


def test_the_tabs_under_the_map_compute_only_the_open_one(app: AppTest) -> None:
    # the default: the Sites table, and no chart (the attack strip's tab is closed)
    assert [d for d in app.dataframe if "Days since" in d.value.columns]
    assert not app.get("vega_lite_chart")
    app.session_state["atlas_tab"] = "Attacks over time"
    app.run()
    assert not app.exception, app.exception
    assert app.get("vega_lite_chart"), "the attack strip is not drawn in its tab"
    assert not [d for d in app.dataframe if "Days since" in d.value.columns]
