"""A drawn snapshot: its figure, where each incident's pin and each site's hub landed in PNG
pixels, and the PNG and PDF bytes (no timestamps or software names: the same view gives the
same bytes)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo.export.snapshot.projection import to_map


@dataclass
class Snapshot:
    """A drawn snapshot: the figure, and where things are on it in PNG pixels (0,0 top left)."""

    figure: Figure
    map_axes: Axes
    dpi: float
    #: incident id -> centre of its pin, in pixels
    pins: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: site id -> centre of its hub as drawn (pushed apart from neighbours when needed)
    hubs: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: whether any place was drawn away from its true point / any pin stands for several
    shifted: bool = False
    grouped: bool = False

    @property
    def size(self) -> tuple[int, int]:
        w, h = self.figure.get_size_inches()
        return round(w * self.dpi), round(h * self.dpi)

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel (x right, y down) of a longitude/latitude on the saved PNG."""
        return self.pixels(*to_map(lon, lat))

    def pixels(self, x: float, y: float) -> tuple[float, float]:
        """Pixel (x right, y down) on the saved PNG of a point in map metres."""
        px, py = self.map_axes.transData.transform((x, y))
        scale = self.dpi / self.figure.dpi
        return float(px * scale), float(self.size[1] - py * scale)

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=self.dpi, metadata={"Software": None})
        return buf.getvalue()

    def pdf(self, title: str = "") -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(
            buf,
            format="pdf",
            dpi=self.dpi,
            metadata={
                "Title": title or None,
                "Creator": None,
                "Producer": None,
                "CreationDate": None,
                "ModDate": None,
            },
        )
        return buf.getvalue()
