"""The import page: upload files, watch the progress, read the report, fix and re-import."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from components import data, pages, safe
from geo.errors import AtlasError
from geo.importers import FORMATS
from geo.ingest import REJECT_COLUMNS, import_file, write_rejects

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
        for upload in uploads or []:
            _import_one(upload, None if fmt == "sniff from the file" else fmt)
    _batches()


def _import_one(upload: st.runtime.uploaded_file_manager.UploadedFile, fmt: str | None) -> None:
    safe.text(upload.name, "atlas-upload-name")  # a file name is untrusted text
    if upload.size > MAX_MB * 1024 * 1024:
        st.error(f"This file is {upload.size / 1e6:.0f} MB; the limit here is {MAX_MB} MB.")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name  # the name only: no folders from the browser
        path.write_bytes(upload.getbuffer())
        total = _lines(path)
        if total > MAX_ROWS:
            st.error(
                f"This file has about {total:,} lines; the import page takes up to "
                f"{MAX_ROWS:,}. Use `python -m geo import FILE` for larger files."
            )
            return
        bar = st.progress(0.0, text="reading…")

        def progress(n: int) -> None:
            bar.progress(min(n / total, 1.0), text=f"{n:,} rows read")

        store = data.open_for_write()  # a connection of its own for the write
        try:
            batch = import_file(store, path, fmt, progress=progress)
            rejects = store.rejects(batch.id)
        except AtlasError as exc:
            bar.empty()
            st.error("This file could not be imported:")
            safe.text(str(exc), "atlas-import-error")
            return
        finally:
            store.close()
        bar.progress(1.0, text="done")
        report = Path(tmp) / "rejects.csv"
        write_rejects(rejects, report)
        report_bytes = report.read_bytes()
    cols = st.columns(5)
    for col, key in zip(cols, ("read", "stored", "revised", "duplicates", "rejected"), strict=True):
        col.metric(key.capitalize(), f"{getattr(batch, key):,}")
    if batch.likely_duplicates:
        st.warning(
            f"{batch.likely_duplicates:,} new record(s) look like incidents already stored "
            "(same place, overlapping dates, compatible weapons and figures). They were kept; "
            "merge them or keep them apart under Add reporting → Waiting for review."
        )
    if rejects:
        st.dataframe(
            pd.DataFrame([r.as_dict() for r in rejects], columns=list(REJECT_COLUMNS)),
            hide_index=True,
            width="stretch",
            key=f"rejects_{batch.id}",
        )
        st.download_button(
            "Download the rejected rows (CSV)",
            report_bytes,
            file_name=f"rejects-batch-{batch.id}.csv",
            mime="text/csv",
            key=f"rejects_dl_{batch.id}",
        )
    else:
        st.success("Every row was stored (or was already there).")


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
