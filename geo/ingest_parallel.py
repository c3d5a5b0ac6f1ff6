"""Reading a big file in a second process while this one writes the batch.

An import is two kinds of work: *reading* (CSV parsing, the format's rules, model validation)
and *writing* (each row's JSON and content hash, the new/duplicate/revised decision, the SQL).
Done one after the other they leave a core idle.  For a big file :class:`PreparedStream` runs
the reading in a worker process (``python -m geo.ingest_parallel``) that sends each validated
incident's ``model_dump(mode="json")`` through a pipe, in chunks, while this process writes
them: both cores work, and the two halves weigh about the same.

Nothing else changes, compared with :func:`geo.importers.read_items` then
:meth:`~geo.store.base.Store.import_batch`:

* the same items in the same order: each incident as a
  :class:`~geo.store.rows.DumpedIncident` (the store makes the very same row and content hash
  of it), each reject as it is;
* a whole-file problem found before the first row (format, encoding, header) raises
  :class:`~geo.errors.DataFileError` from :meth:`PreparedStream.wait_opened`, before the batch
  starts; one found later raises it from the iteration, and the batch rolls back;
* this process holds the transaction, so killing it leaves the store as it was; the worker then
  finds the pipe closed and exits;
* memory stays bounded: the pipe holds about one message, the worker blocks while it is full,
  so it is never more than a chunk or two ahead.

The worker is a fresh interpreter (no ``fork`` of a threaded app, no re-run of the caller's main
script), which takes a second or two to start: :data:`PARALLEL_MIN_BYTES` keeps small files in
one process.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from geo.errors import AtlasError, DataFileError
from geo.store.base import Reject
from geo.store.rows import DumpedIncident, PreparedRow, dump_values

#: files at least this big are read in a worker process (for smaller ones starting it costs
#: more than it saves)
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
#: whether the worker can run: it is this interpreter again (``sys.executable``; empty when
#: Python is embedded in another program) and talks over a POSIX pipe
AVAILABLE = os.name == "posix" and bool(sys.executable)
#: items per message through the pipe: half the store's chunk (geo.store.writing.CHUNK), so that a
#: message fits in the pipe (:data:`PIPE_BYTES`) and the worker fills the next chunk while the
#: writer writes the last
SEND_CHUNK = 1000
#: the pipe's size (Linux; the most an unprivileged process may ask for by default): a message
#: goes in at once instead of 64 kB at a time, each step waiting for the other process to wake
PIPE_BYTES = 1 << 20
#: how :class:`_Share` moves: by this much per message, up when a send waited more than this
#: part of the time the message took to make
SHARE_STEP = 0.05
WAITED = 0.1

log = logging.getLogger("geo.importers")


# --- the worker --------------------------------------------------------------------------------


def _failure(exc: BaseException) -> tuple[Any, ...]:
    """An exception as the worker sends it: a DataFileError by its fields (its constructor does
    not take its own message back), anything else as itself if it pickles, else as text."""
    if isinstance(exc, DataFileError):
        return ("data", exc.path, exc.reason, exc.line)
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        text = "".join(traceback.format_exception(exc))
        return ("text", f"reading failed in the worker: {type(exc).__name__}: {exc}\n{text}")
    return ("exc", exc)


class _Share:
    """How much of the writing side's work per incident (its row: JSON and content hash, see
    :func:`~geo.store.rows.dump_values`) the worker takes on, between 0 and 1.

    Either side can be the slower one: reading costs the same per row whatever the file, while
    writing gets dearer as the store grows (a million-row import writes its last rows slower
    than its first).  So the share follows the pipe: a send that had to wait means the writer
    is behind, and the worker makes more rows itself; one that did not wait means the worker is
    behind, and it leaves more to the writer.  The rows come out the same either way (one
    function makes them all); only who spends the time changes.  ``fixed`` pins the share
    (tests)."""

    def __init__(self, fixed: float | None = None) -> None:
        self.share = fixed if fixed is not None else 0.0
        self.fixed = fixed is not None
        self._owed = 0.0

    def item(self, inc: Any) -> Any:
        """The incident as the worker sends it: its dump (a dict), or ``(id, values, hash)``."""
        data = inc.model_dump(mode="json")
        self._owed += self.share
        if self._owed < 1:
            return data
        self._owed -= 1
        values, digest = dump_values(data)
        return (data["id"], values, digest)

    def sent(self, made: float, waited: float) -> None:
        """A message took ``made`` seconds to make and ``waited`` to send."""
        if not self.fixed:
            step = SHARE_STEP if waited > WAITED * made else -SHARE_STEP
            self.share = min(1.0, max(0.0, self.share + step))


def _send(out: Connection, message: tuple[Any, ...]) -> float:
    """Send one message; how long the pipe kept us waiting, in seconds."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    start = time.perf_counter()
    out.send_bytes(data)
    return time.perf_counter() - start


def work(
    path: Path,
    fmt: str | None,
    today: date,
    out: Connection,
    chunk: int = SEND_CHUNK,
    share: float | None = None,
) -> None:
    """Read ``path`` and send ``("opened", format, encoding, delimiter, notes)``, then
    ``("items", [...])`` messages of ``chunk`` items (an incident as its dump or its row, see
    :class:`_Share`; a reject as itself) and ``("end", notes)``; or ``("error", failure)``."""
    from geo.importers import read_items
    from geo.model import Incident

    # the notes are logged by the importing process, as if it had read the file itself
    quiet = logging.getLogger("geo.importers")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    split = _Share(share)
    try:
        try:
            stream = read_items(path, fmt, today=today)
            _send(out, ("opened", stream.format, stream.encoding, stream.delimiter, stream.notes))
            batch: list[Any] = []
            start = time.perf_counter()
            for item in stream:
                batch.append(split.item(item) if isinstance(item, Incident) else item)
                if len(batch) >= chunk:
                    made = time.perf_counter() - start
                    split.sent(made, _send(out, ("items", batch)))
                    batch = []
                    start = time.perf_counter()
            if batch:
                _send(out, ("items", batch))
            _send(out, ("end", stream.notes))
        except (BrokenPipeError, ConnectionResetError):
            return  # the importing process stopped reading (it failed or was killed)
        except BaseException as exc:
            _send(out, ("error", _failure(exc)))
    except OSError:
        pass  # the pipe broke while reporting: nobody is listening
    finally:
        out.close()


def main(argv: list[str]) -> None:
    """``python -m geo.ingest_parallel PATH FORMAT TODAY CHUNK SHARE``: the worker, writing to
    its stdout (FORMAT and SHARE may be empty)."""
    path, fmt, today = Path(argv[0]), argv[1] or None, date.fromisoformat(argv[2])
    chunk, share = int(argv[3]), float(argv[4]) if argv[4] else None
    import geo.importers  # noqa: F401  (everything the reading needs, before freezing)

    # What is loaded now (modules, schemas, polygons) lives as long as the process: out of the
    # cyclic collector's sight, the full collections the rows' containers keep triggering stop
    # walking it over and over (the reading goes a seventh faster).  This process only reads.
    gc.freeze()
    out = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print goes to stderr, never into the stream
    work(path, fmt, today, out, chunk, share)


# --- the importing side ------------------------------------------------------------------------


def _raise(failure: tuple[Any, ...]) -> None:
    kind = failure[0]
    if kind == "data":
        raise DataFileError(failure[1], failure[2], failure[3])
    if kind == "exc":
        raise failure[1]
    raise AtlasError(failure[1])


class PreparedStream(Iterator[DumpedIncident | PreparedRow | Reject]):
    """The items of one file, read by a worker process (see the module docstring).

    The worker starts at once; :meth:`wait_opened` waits for it to have opened the file.  Like
    :class:`geo.importers.ItemStream` it has ``format``, ``encoding``, ``delimiter`` and
    ``notes``, and ``close()`` (also as a context manager), which stops the worker.  ``chunk``:
    items per message (best the store's chunk size); ``share``: pins :class:`_Share` (tests)."""

    def __init__(
        self,
        path: Path,
        fmt: str | None,
        today: date,
        chunk: int = SEND_CHUNK,
        share: float | None = None,
    ) -> None:
        self.path = Path(path)
        self.format = ""
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.notes: list[str] = []
        root = str(Path(__file__).resolve().parents[1])  # where ``geo`` is importable from
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH")))),
        }
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geo.ingest_parallel",
                str(self.path),
                fmt or "",
                today.isoformat(),
                str(chunk),
                "" if share is None else str(share),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self._proc.stdout is not None
        self._conn = Connection(os.dup(self._proc.stdout.fileno()), writable=False)
        # not on Linux, or more than the system allows: the pipe works, in smaller steps
        with contextlib.suppress(AttributeError, OSError):
            import fcntl

            fcntl.fcntl(self._conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self._proc.stdout.close()
        self._items = self._receive_items()
        self._opened = False

    def wait_opened(self) -> PreparedStream:
        """Wait until the worker has opened the file (format, encoding, header): raises what
        :func:`geo.importers.read_items` raises up front."""
        if not self._opened:
            try:
                first = self._receive()
                if first[0] == "error":
                    _raise(first[1])
            except BaseException:
                self.close()
                raise
            _, self.format, self.encoding, self.delimiter, self.notes = first
            self._opened = True
            for note in self.notes:
                log.warning("%s: %s", self.path, note)
        return self

    def _receive(self) -> tuple[Any, ...]:
        try:
            return pickle.loads(self._conn.recv_bytes())
        except (EOFError, OSError):
            code = self._proc.wait()
            raise AtlasError(
                f"{self.path}: the reading process stopped unexpectedly (exit code {code})"
            ) from None

    def _receive_items(self) -> Iterator[DumpedIncident | PreparedRow | Reject]:
        while True:
            message = self._receive()
            if message[0] == "items":
                for item in message[1]:
                    if isinstance(item, dict):
                        yield DumpedIncident(item)
                    elif isinstance(item, tuple):
                        yield PreparedRow(*item)
                    else:
                        yield item  # a Reject
            elif message[0] == "end":
                for note in message[1][len(self.notes) :]:
                    log.warning("%s: %s", self.path, note)
                self.notes = message[1]
                return
            else:
                _raise(message[1])

    def __iter__(self) -> Iterator[DumpedIncident | PreparedRow | Reject]:
        self.wait_opened()
        return self._items  # the generator itself: one call less per item

    def __next__(self) -> DumpedIncident | PreparedRow | Reject:
        self.wait_opened()
        return next(self._items)

    def close(self) -> None:
        """Stop the worker (if it is still reading) and release the pipe."""
        self._conn.close()
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()

    def __enter__(self) -> PreparedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    main(sys.argv[1:])
