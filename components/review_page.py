"""Add reporting: paste or upload an article, read the candidate incidents with their evidence,
accept, edit or reject each, and save the accepted ones; and the queue of extracted incidents
waiting for review (``python -m geo ingest`` without ``--accept``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import streamlit as st

from components import data, safe
from components.map_panel import MAP_GENERATION, SELECTED
from components.sidebar import RANGE
from geo import vocabulary
from geo.errors import NotAllowedError, ValidationError
from geo.extract import Extraction, extract_text
from geo.extract.readers import html_to_text, stated_date
from geo.gazetteer import Gazetteer
from geo.markup import casualty_text, date_window, esc
from geo.model import STATUSES, WEAPONS, Incident, control_char, parse_incident
from geo.query import sources_of
from geo.review import (
    VERDICTS,
    Decision,
    highlight,
    record_verdict,
    resolve_pair,
    save_reviewed,
    similar,
)
from geo.store.base import LikelyDuplicate

DECISIONS = ("accept", "edit", "reject")
#: the longest article this page extracts from, in characters (of an HTML page: of its text).
#: Extraction takes about 7 s per MB of news text and holds the server meanwhile; longer texts
#: go in parts, or through ``python -m geo ingest`` (no limit)
MAX_ARTICLE_CHARS = 200_000
#: the largest article file the uploader takes (a page's markup comes with its text)
MAX_UPLOAD_MB = 5


def render() -> None:
    st.title("Add reporting")
    frame = data.incidents()
    pending = frame[frame["review"] == "pending"]
    flags = data.store().likely_duplicates()
    new, queue = st.tabs(["New article", f"Waiting for review ({len(pending) + len(flags)})"])
    with new:
        _new_article()
    with queue:
        _duplicates(flags)
        _queue(pending)


def _article_input() -> tuple[str, str, date] | None:
    """The article to extract from, its id and publication date; ``None`` until the button is
    pressed, or when the input is refused (the reason is on the page)."""
    text = st.text_area("Article text", key="rev_text", height=180)
    upload = st.file_uploader(
        "…or a file (.txt, .html)", type=["txt", "html", "htm"], max_upload_size=MAX_UPLOAD_MB
    )
    chosen = st.date_input(
        "Published (leave empty to use the date the text states)",
        value=None,
        key="rev_published",
        max_value=date.today(),
    )
    if not st.button("Extract incidents", key="rev_extract", type="primary"):
        return None
    st.session_state.pop("rev_extraction", None)  # the candidates of the last article go
    _forget_cards()
    article_id = "pasted"
    page_date: date | None = None
    if upload is not None:
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:  # the uploader says so too; not trusted
            st.error(f"That file is over {MAX_UPLOAD_MB} MB; nothing was read from it.")
            return None
        if control_char(upload.name):
            st.error("That file's name holds a control character; rename the file.")
            return None
        try:
            raw = upload.getvalue().decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            st.error("That file is not UTF-8 text or HTML; nothing was read from it.")
            return None
        if upload.name.lower().endswith((".html", ".htm")):
            text, page_date = html_to_text(raw)
        else:
            text = raw
        article_id = upload.name.rsplit(".", 1)[0]
    if not text.strip():
        st.warning("Paste an article or choose a file first.")
        return None
    if len(text) > MAX_ARTICLE_CHARS:
        st.error(
            f"This article is {len(text):,} characters long; this page extracts from up to "
            f"{MAX_ARTICLE_CHARS:,}. Split it into parts, or use `python -m geo ingest FILE`. "
            "Nothing was extracted."
        )
        return None
    problem = control_char(text)
    if problem:  # the model would refuse every quote holding it: say so before extracting
        st.error(f"Nothing was extracted: the article {problem}.")
        return None
    stated, text, how = stated_date(text)
    if page_date is not None:
        stated, how = page_date, "the page's metadata"
    published = chosen or stated
    if published is None:
        st.error(
            "This text states no publication date (no ` date YYYY-MM-DD` header and no dated "
            "dateline): choose it under *Published*, so that 'Saturday' or 'yesterday' are read "
            "against the right day. Nothing was extracted."
        )
        return None
    if chosen is None:
        st.caption(f"Published {published.isoformat()}, from {how} of the text.")
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return text, f"{article_id}-{published}-{digest}", published


def _new_article() -> None:
    _saved_report()
    given = _article_input()
    if given is not None:
        text, article_id, published = given
        try:
            extraction = extract_text(text, published, article_id)
        except ValidationError as exc:  # a value the model refuses: shown, never a traceback
            st.error("Nothing was extracted: a value read from this article cannot be stored.")
            safe.text(str(exc), "atlas-extract-error")
            return
        st.session_state["rev_article"] = (text, article_id, published)
        st.session_state["rev_extraction"] = extraction
    extraction: Extraction | None = st.session_state.get("rev_extraction")
    if extraction is None:
        return
    text, article_id, _ = st.session_state["rev_article"]
    if not extraction.incidents:
        st.info("No incident found in this text.")
        _not_incidents(extraction)
        return
    gazetteer = data.gazetteer()
    frame = data.incidents()
    st.subheader(f"{len(extraction.incidents)} candidate incident(s)")
    st.caption("Nothing is saved until you decide: accept, edit or reject each candidate.")
    chosen: list[Decision] = []
    undecided = 0
    for k, cand in enumerate(extraction.incidents):
        decided = _candidate(k, cand, extraction, text, gazetteer, similar(cand, frame))
        if decided == UNDECIDED:
            undecided += 1
        elif isinstance(decided, Decision):
            chosen.append(decided)
    _not_incidents(extraction)
    if undecided:
        st.caption(f"{undecided} candidate(s) not decided yet: they are not saved.")
    saving = st.button(f"Save {len(chosen)} accepted", key="rev_save", disabled=not chosen)
    if saving and _save(chosen, article_id):
        st.rerun()  # the report goes above a fresh form; a refusal stays on the page


#: the keys of a candidate card's widgets (decision, merge target, edited fields) + its number
CARD_KEYS = ("rev_dec_", "rev_merge_", "rev_site_", "rev_w_", "rev_start_", "rev_end_",
             "rev_st_", "rev_k_", "rev_i_")  # fmt: skip


def _forget_cards() -> None:
    """Drop the cards' widget state: the next article's candidates start undecided, with
    their own values (card 0 of a new article is not card 0 of the last one)."""
    for key in [k for k in st.session_state if str(k).startswith(CARD_KEYS)]:
        del st.session_state[key]


#: what :func:`_candidate` returns while the analyst has not chosen accept, edit or reject
UNDECIDED: Literal["undecided"] = "undecided"


#: the candidate's fields as a person reads them, in the order the card shows them
FIELD_WORDS = {
    "event_type": "what happened",
    "location": "where",
    "date": "when",
    "weapons": "weapons",
    "killed": "US killed",
    "injured": "US injured",
    "claimed_by": "claimed by",
    "attributed_to": "attributed to",
    "status": "status",
}


def _field_order(name: str) -> int:
    return list(FIELD_WORDS).index(name) if name in FIELD_WORDS else len(FIELD_WORDS)


def _candidate(
    k: int,
    cand: Incident,
    extraction: Extraction,
    text: str,
    gazetteer: Gazetteer,
    lookalikes: list[str],
) -> Decision | Literal["undecided"] | None:
    """Show one candidate; return what to save (and what to merge it into), None when
    rejected (or its edits cannot be saved), or :data:`UNDECIDED`."""
    with st.container(border=True, key=f"rev_card_{k}"):
        place = gazetteer.get(cand.site_id).name if cand.site_id else cand.location
        kind = vocabulary.title("event_type", cand.event_type)
        st.html(f"<b>{esc(kind)}: {esc(place)}</b>")
        st.html(
            '<div class="atlas-candidate">'
            f"{esc(date_window(cand.date_start, cand.date_end, cand.date_precision))} · "
            f"{esc(vocabulary.labels('weapon', cand.weapons))} · "
            f"outcome: {esc(vocabulary.label('outcome', cand.outcome))} · US killed "
            f"{esc(casualty_text(cand.killed_min, cand.killed_max))}, injured "
            f"{esc(casualty_text(cand.injured_min, cand.injured_max))} · "
            f"{esc(vocabulary.label('status', cand.status))}"
            + (f" · claimed by {esc(cand.claimed_by)}" if cand.claimed_by else "")
            + "</div>"
        )
        quotes = [q for qs in extraction.evidence.get(cand.id, {}).values() for q in qs]
        quotes += [s.quote for s in cand.sources]
        with st.expander("Evidence in the article", expanded=k == 0):
            st.html(f'<div class="atlas-evidence">{highlight(text, quotes)}</div>')
        rules = extraction.rules.get(cand.id, {})
        if rules:
            with st.expander("Why: the rule behind each field"):
                rows = "".join(
                    f"<tr><td>{esc(FIELD_WORDS.get(name, name))}</td><td>{esc(rule)}</td></tr>"
                    for name, rule in sorted(rules.items(), key=lambda kv: _field_order(kv[0]))
                )
                st.html(f'<table class="atlas-rules" data-candidate="{k}">{rows}</table>')
        decision = st.radio("Decision", DECISIONS, index=None, key=f"rev_dec_{k}", horizontal=True)
        if decision is None:
            return UNDECIDED
        if decision == "reject":
            return None
        incident = _edited(k, cand, gazetteer) if decision == "edit" else cand
        if incident is None:
            return None
        target = None
        if lookalikes:
            # "" (not None: a selectbox's None means "nothing chosen") is "keep it separate"
            target = (
                st.selectbox(
                    "This looks like an incident already stored: merge into it?",
                    ["", *lookalikes],
                    index=1,
                    key=f"rev_merge_{k}",
                    format_func=lambda i: f"merge into {i}" if i else "no, keep it separate",
                )
                or None
            )
        return Decision(
            incident.model_copy(update={"review": "accepted"}),
            target,
            kept_apart=bool(lookalikes) and target is None,
        )


def _edited(k: int, cand: Incident, gazetteer: Gazetteer) -> Incident | None:
    sites = [None, *(s.id for s in gazetteer)]
    names = {s.id: s.name for s in gazetteer}
    left, right = st.columns(2)
    site = left.selectbox(
        "Site",
        sites,
        index=sites.index(cand.site_id) if cand.site_id in sites else 0,
        format_func=lambda s: "(not a known site)" if s is None else names[s],
        key=f"rev_site_{k}",
    )
    weapons = right.multiselect(
        "Weapons",
        WEAPONS,
        default=list(cand.weapons),
        key=f"rev_w_{k}",
        format_func=lambda w: vocabulary.label("weapon", w),
    )
    start = left.date_input("From", cand.date_start, key=f"rev_start_{k}")
    end = right.date_input("To", cand.date_end, key=f"rev_end_{k}")
    status = left.selectbox(
        "Status",
        STATUSES,
        STATUSES.index(cand.status),
        key=f"rev_st_{k}",
        format_func=lambda s: vocabulary.label("status", s),
    )
    killed = right.text_input("US killed (min–max)", _range(cand, "killed"), key=f"rev_k_{k}")
    injured = right.text_input("US injured (min–max)", _range(cand, "injured"), key=f"rev_i_{k}")
    fields: dict[str, Any] = cand.model_dump()
    fields.update(weapons=weapons, date_start=start, date_end=end, status=status, id="")
    if site != cand.site_id:
        picked = gazetteer.get(site) if site else None
        fields.update(
            site_id=site,
            latitude=picked.latitude if picked else None,
            longitude=picked.longitude if picked else None,
            country=picked.country if picked else cand.country,
            geo_precision=1 if picked and picked.located else max(cand.geo_precision, 6),
        )
    try:
        for kind, value in (("killed", killed), ("injured", injured)):
            fields[f"{kind}_min"], fields[f"{kind}_max"] = _parse_range(kind, value)
        return parse_incident(fields)
    except ValidationError as exc:
        st.error("These values cannot be saved:")
        safe.text(str(exc), "atlas-edit-error")
        return None


def _range(cand: Incident, kind: str) -> str:
    lo, hi = getattr(cand, f"{kind}_min"), getattr(cand, f"{kind}_max")
    if lo is None and hi is None:
        return ""
    return f"{'' if lo is None else lo}–{'' if hi is None else hi}"


def _parse_range(kind: str, text: str) -> tuple[int | None, int | None]:
    """ "" = not reported, "3" = exactly 3, "5–" = at least 5, "0–21" = between."""
    text = text.strip().replace("-", "–")
    if not text:
        return None, None
    lo, _, hi = text.partition("–") if "–" in text else (text, "", text)
    try:
        return (int(lo) if lo.strip() else None), (int(hi) if hi.strip() else None)
    except ValueError:
        raise ValidationError(
            f"{kind}_min", text, "expected a number or a range like 0–21 or 5–"
        ) from None


def _not_incidents(extraction: Extraction) -> None:
    if extraction.rejected:
        with st.expander(f"Sentences read as not incidents ({len(extraction.rejected)})"):
            for r in extraction.rejected:
                st.html(f"<p><i>{esc(r.quote)}</i><br><small>{esc(r.reason)}</small></p>")


def _save(chosen: list[Decision], article_id: str) -> bool:
    """Save the decided candidates; False (and why, on the page) when the store refuses."""
    store = data.store()
    try:
        batch = save_reviewed(store, chosen, article_id)
    except NotAllowedError as exc:  # a page left open after the role changed, say
        _refused(exc)
        return False
    st.session_state.pop("rev_extraction", None)
    _forget_cards()
    # what was saved: a new record as it was, a merged one as its target now reads
    out = [store.get(d.target) if d.target else d.incident for d in chosen]
    st.session_state[SAVED] = Saved(
        count=len(out),
        stored=batch.stored,
        revised=batch.revised,
        duplicates=batch.duplicates,
        start=min(i.date_start for i in out),
        end=max(i.date_end for i in out),
        sites=tuple(sorted({i.site_id for i in out if i.site_id})),
    )
    return True


#: the last save, reported above the next article until the user moves on
SAVED = "rev_saved"


@dataclass(frozen=True)
class Saved:
    count: int
    stored: int
    revised: int
    duplicates: int
    start: date
    end: date
    sites: tuple[str, ...]


def _saved_report() -> None:
    """What the last save did, and a way to see the saved incidents on the map (the date
    range widened to hold them; a lone site selected, with its rings)."""
    saved: Saved | None = st.session_state.get(SAVED)
    if saved is None:
        return
    noun = "incident" if saved.count == 1 else "incidents"
    st.success(
        f"Saved {saved.count} {noun}: {saved.stored} new, {saved.revised} merged into "
        f"existing incidents, {saved.duplicates} already there."
    )
    left, right = st.columns([1, 3])
    if left.button(f"Show {'it' if saved.count == 1 else 'them'} on the map", key="rev_show"):
        _widen_range(saved.start, saved.end)
        if len(saved.sites) == 1:
            st.session_state[SELECTED] = saved.sites[0]
            st.session_state[MAP_GENERATION] = st.session_state.get(MAP_GENERATION, 0) + 1
        del st.session_state[SAVED]
        from components import pages  # the page list imports this module

        st.switch_page(pages.MAP.page())
    if right.button("Dismiss", key="rev_dismiss"):
        del st.session_state[SAVED]
        st.rerun()


def _widen_range(start: date, end: date) -> None:
    """Make the map's date range hold [start, end] (a range left at "all dates" follows the
    data's span by itself)."""
    ss = st.session_state
    if RANGE not in ss:
        return
    lo, hi = ss[RANGE]
    ss[RANGE] = (min(lo, start), max(hi, end))
    for key in ("range_slider", "range_from", "range_to"):
        ss.pop(key, None)  # the widgets take the new range when the map page draws them


def _duplicates(flags: list[LikelyDuplicate]) -> None:
    """Pairs an import or an ingest flagged as possibly one event: merge, or keep both."""
    if not flags:
        return
    store = data.store()
    st.subheader(f"Possible duplicates ({len(flags)})")
    for flag in flags:
        key = f"dup_{flag.id}_{flag.other_id}"
        with st.container(border=True, key=key):
            pair = [store.get(flag.id), store.get(flag.other_id)]
            st.html(
                "".join(
                    f"<div class='atlas-duplicate'><b>{esc(label)}</b> {esc(i.id)} · "
                    f"{esc(i.location)} · "
                    f"{esc(date_window(i.date_start, i.date_end, i.date_precision))} · "
                    f"{esc(vocabulary.labels('weapon', i.weapons))} · <i>“{esc(i.sources[0].quote)}”</i></div>"
                    for label, i in zip(("New:", "Stored before:"), pair, strict=True)
                )
                + f"<small>{esc(flag.reason)}</small>"
            )
            left, right = st.columns(2)
            for col, label, merge in (
                (left, "Merge into the one stored before", True),
                (right, "Keep both: two events", False),
            ):
                if col.button(label, key=f"{key}_{'merge' if merge else 'apart'}"):
                    try:
                        resolve_pair(store, flag, merge=merge)
                    except NotAllowedError as exc:
                        _refused(exc)
                        return
                    st.rerun()


def _queue(pending: Any) -> None:
    if pending.empty:
        st.info("Nothing waits for review. `python -m geo ingest PATH...` fills this queue.")
        return
    store = data.store()
    for row in pending.sort_values("date_start").to_dict("records"):
        with st.container(border=True, key=f"queue_{row['id']}"):
            st.html(
                f"<b>{esc(row['location'])}</b> · "
                f"{esc(date_window(row['date_start'], row['date_end'], row['date_precision']))}"
                f" · {esc(vocabulary.labels('weapon', row['weapons']))}<br><i>“{esc(sources_of(row['sources'])[0].quote)}”</i>"
            )
            left, right = st.columns(2)
            for col, verdict in zip((left, right), VERDICTS, strict=True):
                label = "Accept" if verdict == "accepted" else "Reject"
                if col.button(label, key=f"queue_{verdict}_{row['id']}"):
                    try:
                        record_verdict(store, row["id"], verdict)
                    except NotAllowedError as exc:
                        _refused(exc)
                        return
                    st.rerun()


def _refused(exc: NotAllowedError) -> None:
    st.error("Not saved: this connection may not write to the store.")
    safe.text(str(exc), "atlas-not-allowed")
