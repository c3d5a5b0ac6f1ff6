"""The import page: upload files, watch the progress, read the report, fix and re-import."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components import data, safe
from geo.errors import AtlasError
from geo.importers import FORMATS
from geo.ingest import REJECT_COLUMNS, import_file, write_rejects
from geo.store import BatchInfo

MAX_MB = 500  # also server.maxUploadSize in .streamlit/config.toml
#: rows one upload may hold here (bigger files: `python -m geo import`, which streams any size)
MAX_ROWS = 2_000_000


def _lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return max(n, 1)


def render() -> None:
    access = data.store().access()
    if not access.can_write:  # a viewer, or the read-only mode: the batch list only
        from components import pages  # the page list imports this module

        st.title("Batches")
        st.info(pages.read_only_notice(access))
        _batches()
        return
    st.title("Import")
    st.caption(
        "ACLED and UCDP GED exports, and our own GeoJSON or CSV. Every row is stored or listed "
        "below with its reason; re-importing a file adds nothing. A row revises a stored "
        "record only when it carries that record's id (or, without one, the same place, dates "
        "and sources); the old version stays in the history. A new row that looks like a "
        "stored incident is kept and flagged for review, never merged by itself."
    )
    uploads = st.file_uploader(
        "Files", accept_multiple_files=True, type=["csv", "tsv", "txt", "geojson", "json"]
    )
    fmt = st.selectbox("Format", ["sniff from the file", *FORMATS], key="import_format")
    if st.button("Import", type="primary", disabled=not uploads):
        # a new import's reports replace the last ones
        st.session_state[REPORTS] = [
            _import_one(upload, None if fmt == "sniff from the file" else fmt)
            for upload in uploads or []
        ]
    _reports()
    _batches()


#: the reports of the last press of "Import": they stay on the page (a download, any rerun)
#: until the user dismisses them or imports again
REPORTS = "atlas_import_reports"


@dataclass(frozen=True)
class Report:
    """One uploaded file's outcome: the batch it became, or why it could not be imported."""

    file_name: str
    batch_id: int | None = None
    error: str | None = None
    detail: str = ""


def _import_one(upload: st.runtime.uploaded_file_manager.UploadedFile, fmt: str | None) -> Report:
    name = upload.name
    if upload.size > MAX_MB * 1024 * 1024:
        return Report(name, error=f"This file is {upload.size / 1e6:.0f} MB; the limit here "
                      f"is {MAX_MB} MB.")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name  # the name only: no folders from the browser
        path.write_bytes(upload.getbuffer())
        total = _lines(path)
        if total > MAX_ROWS:
            return Report(
                name,
                error=f"This file has about {total:,} lines; the import page takes up to "
                f"{MAX_ROWS:,}. Use `python -m geo import FILE` for larger files.",
            )
        slot = st.empty()  # the file's name and its progress while it imports; then the report
        with slot.container():
            safe.text(name, "atlas-importing-name")  # a file name is untrusted text
            bar = st.progress(0.0, text="reading…")

        def progress(n: int) -> None:
            bar.progress(min(n / total, 1.0), text=f"{n:,} rows read")

        store = data.open_for_write()  # a connection of its own for the write
        try:
            batch = import_file(store, path, fmt, progress=progress)
        except AtlasError as exc:
            return Report(name, error="This file could not be imported:", detail=str(exc))
        finally:
            store.close()
            slot.empty()
    return Report(name, batch_id=batch.id)


def _reports() -> None:
    reports: list[Report] = st.session_state.get(REPORTS) or []
    if not reports:
        return
    batches = {b.id: b for b in data.store().batches()}
    st.subheader("Import report")
    for k, report in enumerate(reports):
        with st.container(border=True, key=f"import_report_{k}"):
            safe.text(report.file_name, "atlas-upload-name")  # a file name is untrusted text
            if report.error is not None:
                st.error(report.error)
                if report.detail:
                    safe.text(report.detail, "atlas-import-error")
                continue
            batch = batches.get(report.batch_id or -1)
            if batch is None:
                st.warning(f"Batch {report.batch_id} is not in the store any more.")
                continue
            batch_report(batch, key=f"last_{k}")
    if st.button("Dismiss the report", key="import_dismiss"):
        del st.session_state[REPORTS]
        st.rerun()


def batch_report(batch: BatchInfo, key: str) -> None:
    """A batch's counts, the reasons its rejected rows were refused, and those rows as CSV
    (read back from the store: any past batch can be opened again)."""
    cols = st.columns(5)
    for col, name in zip(
        cols, ("read", "stored", "revised", "duplicates", "rejected"), strict=True
    ):
        col.metric(name.capitalize(), f"{getattr(batch, name):,}")
    if batch.likely_duplicates:
        # where the pairs are settled: a page only a connection that may write has
        settle = (
            "merge them or keep them apart under Add reporting → Waiting for review"
            if data.store().access().can_write
            else "an analyst settles them under Add reporting"
        )
        st.warning(
            f"{batch.likely_duplicates:,} new record(s) look like incidents already stored "
            "(same place, overlapping dates, compatible weapons and figures). They were kept; "
            f"{settle}."
        )
    rejects = data.store().rejects(batch.id)
    if not rejects:
        st.success("Every row was stored (or was already there).")
        return
    st.dataframe(
        pd.DataFrame([r.as_dict() for r in rejects], columns=list(REJECT_COLUMNS)),
        hide_index=True,
        width="stretch",
        key=f"rejects_{key}_{batch.id}",
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rejects.csv"
        write_rejects(rejects, out)
        payload = out.read_bytes()
    st.download_button(
        "Download the rejected rows (CSV)",
        payload,
        file_name=f"rejects-batch-{batch.id}.csv",
        mime="text/csv",
        key=f"rejects_dl_{key}_{batch.id}",
        on_click="ignore",  # the download does not rerun the page: the report stays as it is
    )


def _batches() -> None:
    st.subheader("Batches")
    batches = data.store().batches()
    if not batches:
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    **b.summary(),
                    "by": b.created_by or "",
                    "imported": b.finished_at.strftime("%Y-%m-%d %H:%M"),
                }
                for b in reversed(batches)
            ]
        ),
        hide_index=True,
        width="stretch",
        key="batches",
    )
    by_id = {b.id: b for b in batches}
    picked = st.selectbox(
        "Open a batch's report (its rejected rows and their reasons)",
        [None, *reversed(list(by_id))],
        format_func=lambda b: (
            "— choose a batch —"
            if b is None
            else f"batch {b}: {by_id[b].file_name} ({by_id[b].rejected:,} rejected)"
        ),
        key="import_open_batch",
    )
    if picked is not None:
        with st.container(border=True, key="import_past_report"):
            batch_report(by_id[picked], key="past")
