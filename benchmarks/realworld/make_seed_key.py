"""Write the seed key (``seed_key.json``) from the curated seed incidents.

The seed key is the real-world key's format (:mod:`geo.extract.keyed`) for the five seed
articles of ``data/articles``: per article, the curated attacks that cite it.  A record that
cites several articles carries the figures of all of them together, so its casualty figures are
keyed only when it cites one article.

    python -m benchmarks.realworld.make_seed_key
"""

from __future__ import annotations

import json
from pathlib import Path

from geo.articles import read_articles
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_incidents
from geo.paths import ARTICLES_DIR, INCIDENTS_GEOJSON

OUT = Path(__file__).with_name("seed_key.json")


def main() -> None:
    sites = Gazetteer.load()
    articles = read_articles(ARTICLES_DIR)
    curated = [i for i in read_incidents(INCIDENTS_GEOJSON) if i.event_type == "attack"]
    out = []
    for aid, article in articles.items():
        attacks = []
        for inc in curated:
            cited = {s.article for s in inc.sources}
            if aid not in cited:
                continue
            site = sites.get(inc.site_id) if inc.site_id else None
            one = len(cited) == 1
            attacks.append(
                {
                    "place": inc.location,
                    "site": inc.site_id,
                    "country": inc.country,
                    "lat": site.latitude if site else inc.latitude,
                    "lon": site.longitude if site else inc.longitude,
                    "tolerance_km": 15 if inc.latitude is not None else None,
                    "date_start": inc.date_start.isoformat(),
                    "date_end": inc.date_end.isoformat(),
                    "weapons": sorted(set(inc.weapons) - {"unknown"}),
                    "killed": [inc.killed_min, inc.killed_max]
                    if one and inc.killed_max is not None
                    else None,
                    "injured": [inc.injured_min, inc.injured_max]
                    if one and inc.injured_max is not None
                    else None,
                }
            )
        out.append(
            {
                "id": aid,
                "url": "",
                "outlet": "seed article (data/articles)",
                "published": article.published.isoformat(),
                "split": "dev",
                "attacks": attacks,
            }
        )
    doc = {
        "about": "The five seed articles keyed from data/incidents.geojson "
        "(benchmarks/realworld/make_seed_key.py).",
        "articles": out,
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
