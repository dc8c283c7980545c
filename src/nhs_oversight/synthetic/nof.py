"""A deterministic synthetic national dataset in NHS England's NOF CSV layout.

The official files cannot be bundled, so the package ships this set (205 fictional trusts: acute,
mental health, community and ambulance) to run everything offline. Values are drawn to resemble
the published 2025/26 distributions; each trust has a latent performance level so that metrics
correlate as they do in real data, and the second quarter drifts from the first so that some
trusts change segment. Every row says ``SYNTHETIC`` in its ``Dataset`` column, and every output
made from it carries that label.

Regenerate the shipped files with ``python -m nhs_oversight.synthetic.nof``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.frameworks import load_framework
from nhs_oversight.frameworks.loader import DEFAULT_FRAMEWORK

SEED = 20250601
LABEL = "SYNTHETIC"
QUARTERS = ("2025/26 Q1", "2025/26 Q2")
REGIONS = ["London", "South East", "South West", "Midlands", "East", "North West", "North East"]
_PLACES = [
    "Ashbourne", "Brackenfield", "Calderbrook", "Dunmere", "Elmsworth", "Fallowmere", "Glenhurst", "Hartwell",
    "Ivybridge Vale", "Juniper Coast", "Kestrel Moor", "Larkspur", "Marchfield", "Northwold", "Oakhampstead",
    "Pennington Cross", "Quarrybank", "Ravensholme", "Saltmarsh", "Thornaby Vale", "Upperdale", "Valebridge",
    "Wexcombe", "Yarrowfield", "Ambleside Vale", "Bramblecote", "Coldharbour", "Deepdene", "Eastwold",
    "Foxhollow", "Greystone", "Heathersett", "Ironbridge Vale", "Kingsmead", "Longridge", "Millbrook",
    "Netherby", "Otterford", "Pebblecombe", "Redmarsh", "Stonebridge", "Tamarind Bay", "Underwood",
    "Westerleigh", "Wyvern", "Alderholt", "Birchmoor", "Copperfield", "Dovecote", "Edgemoor",
]
_SUFFIX = {
    "Acute - Teaching": "Teaching Hospitals NHS Foundation Trust",
    "Acute - Large": "Hospitals NHS Foundation Trust",
    "Acute - Medium": "Hospitals NHS Trust",
    "Acute - Small": "General Hospital NHS Trust",
    "Acute - Specialist": "Specialist Hospital NHS Foundation Trust",
    "Acute - Multi-Service": "Health and Care NHS Trust",
    "Mental Health and Learning Disability": "Mental Health NHS Foundation Trust",
    "Community": "Community Healthcare NHS Trust",
    "Ambulance": "Ambulance Service NHS Trust",
}
_TYPES = [  # (Trust_type, Trust_subtype, count, file)
    ("Acute trust", "Acute - Teaching", 40, "acute"),
    ("Acute trust", "Acute - Large", 30, "acute"),
    ("Acute trust", "Acute - Medium", 25, "acute"),
    ("Acute trust", "Acute - Small", 20, "acute"),
    ("Acute trust", "Acute - Specialist", 13, "acute"),
    ("Acute trust", "Acute - Multi-Service", 6, "acute"),
    ("Mental health and community trust", "Mental Health and Learning Disability", 49, "mental-health-community"),
    ("Mental health and community trust", "Community", 12, "mental-health-community"),
    ("Ambulance trust", "Ambulance", 10, "ambulance"),
]


@dataclass(frozen=True)
class Gen:
    """How one metric is drawn: centre, spread, bounds, decimals, and how it follows performance."""

    mean: float
    sd: float
    lo: float
    hi: float
    decimals: int
    loading: float = 0.6  # correlation with the latent performance level
    reporting: float = 1.0  # share of eligible trusts reporting it
    reporting_date: str = ""


# metric -> which kinds of trust report it, and how its values are drawn
_ACUTE, _MH, _COM, _AMB = "acute", "mh", "community", "ambulance"
_SPEC: dict[str, tuple[set[str], Gen]] = {
    "OF0003": ({_ACUTE}, Gen(2.4, 1.6, 0.0, 9.0, 2, reporting=0.98, reporting_date="{m3}")),
    "OF0005": ({_ACUTE, _COM, _MH}, Gen(3.0, 6.0, 0.0, 60.0, 2, 0.4, 0.65, "{m3}")),
    "OF0010": ({_ACUTE}, Gen(76.5, 5.5, 55.0, 92.0, 2, reporting=0.9, reporting_date="{q}")),
    "OF0011": ({_ACUTE}, Gen(70.0, 8.5, 40.0, 90.0, 2, reporting=0.9, reporting_date="{q}")),
    "OF0013": ({_ACUTE}, Gen(75.0, 7.0, 50.0, 97.0, 1, reporting=0.92, reporting_date="{q}")),
    "OF0014": ({_ACUTE}, Gen(9.0, 5.5, 0.0, 26.0, 2, reporting=0.92, reporting_date="{q}")),
    "OF0016": ({_MH}, Gen(58.0, 12.0, 20.0, 95.0, 2, reporting=0.9, reporting_date="{q}")),
    "OF0017": ({_AMB}, Gen(33.0, 6.0, 22.0, 50.0, 2, reporting_date="{q}")),
    "OF0020": ({_ACUTE}, Gen(3.8, 3.5, 0.0, 20.0, 0, reporting_date="12 months to {m3}")),
    "OF0023": ({_ACUTE}, Gen(61.5, 6.8, 45.0, 85.0, 2, reporting=0.98, reporting_date="{m3}")),
    "OF0025": ({_ACUTE}, Gen(0.8, 0.5, 0.0, 3.5, 1, reporting=0.94, reporting_date="{m3}")),
    "OF0028": ({_AMB}, Gen(52.0, 5.0, 40.0, 65.0, 2, reporting_date="Year to date")),
    "OF0041": ({_MH, _ACUTE}, Gen(8.0, 12.0, -25.0, 45.0, 2, 0.4, 0.6, "12 months to {m3}")),
    "OF0048": ({_ACUTE}, Gen(1.2, 0.23, 0.6, 2.4, 2, reporting_date="12 months to {m3}")),
    "OF0057": ({_COM, _MH, _ACUTE}, Gen(84.0, 8.0, 55.0, 99.0, 2, reporting=0.6, reporting_date="{q}")),
    "OF0061": ({_ACUTE, _MH, _COM, _AMB}, Gen(6.4, 0.3, 5.4, 7.6, 2, reporting_date="2024")),
    "OF0063": ({_MH}, Gen(28.0, 8.0, 5.0, 60.0, 2, reporting=0.85, reporting_date="{q}")),
    "OF0079": ({_ACUTE, _MH, _COM, _AMB}, Gen(-1.5, 2.6, -12.0, 4.0, 2, 0.5, reporting_date="2025/26")),
    "OF0081": ({_ACUTE, _MH, _COM, _AMB}, Gen(-0.2, 1.0, -6.0, 3.0, 2, 0.4, reporting_date="Month {mn} 2025")),
    "OF0082": ({_ACUTE, _MH, _COM, _AMB}, Gen(5.3, 0.8, 3.4, 8.0, 2, reporting_date="previous quarter")),
    "OF0084": ({_ACUTE, _MH, _COM, _AMB}, Gen(6.9, 0.27, 6.0, 7.8, 2, reporting_date="2024")),
    "OF0085": ({_ACUTE}, Gen(2.7, 3.9, -14.0, 14.0, 2, 0.3, reporting_date="To M12 2024/25 vs 2023/24")),
    "OF0086": ({_MH, _COM, _AMB}, Gen(100.0, 8.0, 78.0, 130.0, 2, 0.4, reporting_date="2024/25")),
    "OF0088": ({_ACUTE}, Gen(1.3, 0.4, 0.7, 3.5, 2, reporting_date="12 months to {m3}")),
    "OF0106": ({_ACUTE}, Gen(1.1, 2.8, -7.0, 10.0, 2, reporting=0.98, reporting_date="{m3}")),
}
# metrics published only as a score: (kinds, probabilities of scores 1..4, reporting share)
_SCORE_ONLY: dict[str, tuple[set[str], tuple[float, float, float, float], float]] = {
    "OF1035": ({_MH}, (0.05, 0.85, 0.08, 0.02), 0.85),
    "OF1046": ({_ACUTE}, (0.08, 0.84, 0.08, 0.0), 0.88),
    "OF1067": ({_ACUTE, _MH, _COM, _AMB}, (0.02, 0.4, 0.5, 0.08), 0.15),
    "OF1069": ({_ACUTE}, (0.09, 0.82, 0.06, 0.03), 0.97),
}


def _kind(subtype: str) -> str:
    if subtype.startswith("Acute"):
        return _ACUTE
    return {"Community": _COM, "Ambulance": _AMB}.get(subtype, _MH)


def _organisations(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    names = [f"{a}" for a in _PLACES] + [f"{a} and {b}" for a, b in zip(_PLACES[::2], _PLACES[1::2], strict=False)]
    names += [f"{side} {p}" for side in ("North", "South", "East", "West") for p in _PLACES]
    order = rng.permutation(len(names))
    k = 0
    for trust_type, subtype, count, file in _TYPES:
        for _ in range(count):
            code = f"Z{k // 36:01X}{'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[k % 36]}"
            rows.append(
                {
                    "Trust_code": code,
                    "Trust_name": f"{names[order[k]]} {_SUFFIX[subtype]}",
                    "Trust_type": trust_type,
                    "Trust_subtype": subtype,
                    "Region": REGIONS[int(rng.integers(0, len(REGIONS)))],
                    "file": file,
                    "kind": _kind(subtype),
                    "latent": float(rng.normal()),
                    "deficit_support": bool(rng.random() < 0.06),
                }
            )
            k += 1
    orgs = pd.DataFrame(rows)
    # ICBs: six per region, named after the region, so that ICB breakdowns have members
    orgs["ICB_code"] = [f"QZ{REGIONS.index(r)}{int(rng.integers(0, 6))}" for r in orgs["Region"]]
    orgs["ICB_name"] = [f"NHS {r} Area {c[-1]} Integrated Care Board (synthetic)" for r, c in zip(orgs["Region"], orgs["ICB_code"], strict=True)]
    return orgs


def _draw(gen: Gen, latent: np.ndarray, higher: bool, rng: np.random.Generator) -> np.ndarray:
    sign = 1.0 if higher else -1.0
    z = gen.loading * latent + np.sqrt(1 - gen.loading**2) * rng.normal(size=len(latent))
    raw = gen.mean + sign * gen.sd * z
    return np.clip(raw, gen.lo, gen.hi)


def generate(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """All synthetic files, keyed by file name, for both quarters."""
    framework = load_framework(DEFAULT_FRAMEWORK)
    rng = np.random.default_rng(seed)
    orgs = _organisations(rng)
    latent_q1 = orgs["latent"].to_numpy()
    out: dict[str, pd.DataFrame] = {}
    for qi, quarter in enumerate(QUARTERS):
        latent = latent_q1 if qi == 0 else latent_q1 + rng.normal(scale=0.35, size=len(orgs))
        qrng = np.random.default_rng(seed + 1 + qi)
        rows = []
        m3 = ("Jun-25", "Sep-25")[qi]
        fill = {"q": quarter.split(" ")[1] + " " + quarter.split(" ")[0], "m3": m3, "mn": (3, 6)[qi]}
        values_by_metric = {}
        for mid, (kinds, gen) in _SPEC.items():
            eligible = orgs["kind"].isin(kinds).to_numpy()
            reporting = eligible & (np.random.default_rng(seed + int(mid[2:])).random(len(orgs)) < gen.reporting)
            metric = framework.metric(mid)  # its direction, unit and name come from the method, not from here
            v = _draw(gen, latent, metric.higher_is_better, qrng)
            values_by_metric[mid] = (reporting, v)
            unit = {"percent": "percent", "count": "count", "rate": "rate"}.get(metric.unit, metric.unit)
            for i in np.flatnonzero(reporting):
                o = orgs.iloc[i]
                val, u = float(np.round(v[i], gen.decimals)), unit
                if mid in ("OF0048", "OF0088") and o["Trust_subtype"] == "Acute - Specialist":
                    val, u = float(qrng.integers(0, 4)), "count"
                if mid == "OF0020":
                    val = float(max(0, np.round(v[i])))
                rows.append(_row(o, metric, mid, val, u, gen.reporting_date.format(**fill), quarter, unrounded=v[i]))
        for sid, (kinds, probs, share) in _SCORE_ONLY.items():
            metric = framework.metric(sid)
            eligible = orgs["kind"].isin(kinds).to_numpy()
            reporting = eligible & (np.random.default_rng(seed + int(sid[2:])).random(len(orgs)) < share)
            draws = np.random.default_rng(seed + int(sid[2:]) + 7).choice([1.0, 2.0, 3.0, 4.0], size=len(orgs), p=probs)
            for i in np.flatnonzero(reporting):
                rows.append(_row(orgs.iloc[i], metric, sid, float(draws[i]), "score", "latest", quarter, unrounded=np.nan))
        _, plan = values_by_metric["OF0079"]
        deficit = (np.round(plan, 2) < 0) | orgs["deficit_support"].to_numpy()
        rsp = latent < np.quantile(latent, 0.07)
        for i in range(len(orgs)):
            o = orgs.iloc[i]
            rows.append(_summary_row(o, "OF5004", "Financial override", float(deficit[i]), "flag", quarter))
            rows.append(_summary_row(o, "OF5007", "Is the organisation in the Recovery Support Programme?", float(rsp[i]), "flag", quarter))
        table = pd.DataFrame(rows)
        table = _add_ranks(table)
        for file, part in table.groupby("file", sort=False):
            name = f"synthetic-nof-{quarter[:7].replace('/', '-')}-{quarter[-2:].lower()}-{file}.csv"
            out[name] = part.drop(columns=["file", "unrounded", "better"]).reset_index(drop=True)
    return out


def _row(o, metric, metric_id: str, value: float, unit: str, reporting_date: str, quarter: str, unrounded: float) -> dict:
    domain = {"access": "Access to services", "safety": "Patient safety", "finance": "Finance and productivity",
              "people": "People and workforce", "effectiveness": "Effectiveness and experience"}[metric.domain]
    return {
        "Dataset": LABEL,
        "Quarter": quarter,
        "Region": o["Region"],
        "Trust_type": o["Trust_type"],
        "Trust_subtype": o["Trust_subtype"],
        "Trust_code": o["Trust_code"],
        "Trust_name": o["Trust_name"],
        "ICB_code": o["ICB_code"],
        "ICB_name": o["ICB_name"],
        "Domain": domain,
        "Sub-domain": metric.sub_domain,
        "Metric_ID": metric_id,
        "Metric_description": metric.name,
        "Reporting_date": reporting_date,
        "Units": unit,
        "Value": value,
        "file": o["file"],
        "unrounded": unrounded,
        "better": (unrounded if metric.direction == "higher" else -unrounded) if metric_id.startswith("OF0") else np.nan,
    }


def _summary_row(o, metric_id: str, description: str, value: float, unit: str, quarter: str) -> dict:
    return {
        "Dataset": LABEL, "Quarter": quarter, "Region": o["Region"], "Trust_type": o["Trust_type"],
        "Trust_subtype": o["Trust_subtype"], "Trust_code": o["Trust_code"], "Trust_name": o["Trust_name"],
        "ICB_code": o["ICB_code"], "ICB_name": o["ICB_name"], "Domain": "Summary", "Sub-domain": "Summary",
        "Metric_ID": metric_id, "Metric_description": description, "Reporting_date": quarter.split(" ")[1] + " " + quarter.split(" ")[0],
        "Units": unit, "Value": value, "file": o["file"], "unrounded": np.nan, "better": np.nan,
    }


def _add_ranks(table: pd.DataFrame) -> pd.DataFrame:
    """Within-type rank of the unrounded value (best = 1, ties share the smallest), as NHS England publishes."""
    table = table.copy()
    table["Rank"] = np.nan
    raw = table["Metric_ID"].str.startswith("OF0")
    grp = table[raw].groupby(["Metric_ID", "Trust_type", "Units"])["better"]
    table.loc[raw, "Rank"] = grp.rank(method="min", ascending=False)
    for col, q in (("Median_value", 0.5), ("Lower_quartile", 0.25), ("Upper_quartile", 0.75)):
        table[col] = np.nan
        table.loc[raw, col] = table[raw].groupby(["Metric_ID", "Trust_type", "Units"])["Value"].transform(lambda s, q=q: s.quantile(q)).round(2)
    return table


def data_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "synthetic"


def write(folder: Path | None = None) -> list[Path]:
    """Write the synthetic files (the shipped copies live in ``nhs_oversight/data/synthetic``)."""
    folder = folder or data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in generate().items():
        path = folder / name
        df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        written.append(path)
    return written


def files(quarter: str = QUARTERS[-1]) -> list[Path]:
    """The shipped synthetic files of one quarter."""
    tag = f"{quarter[:7].replace('/', '-')}-{quarter[-2:].lower()}"
    found = sorted(data_dir().glob(f"synthetic-nof-{tag}-*.csv"))
    if not found:
        raise FileNotFoundError(f"no synthetic files for {quarter} in {data_dir()}")
    return found


if __name__ == "__main__":  # pragma: no cover
    for p in write():
        print(p)
