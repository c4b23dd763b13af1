"""The evaluation report as Markdown: setup, one table per evaluation set, per-emotion detail, checks."""

from __future__ import annotations

from .harness import HIGHER_IS_BETTER, MOODTUNE, Check, EvalReport, MethodScores, SetResult

__all__ = ["render_markdown"]

_SETUP = """\
## Setup

**Queries.** One per emotion moodtune reads. The target point is the emotion's valence–arousal
anchor (`moodtune.affect.VA_ANCHORS`, Russell & Mehrabian 1977), the point the `match` strategy
aims at for a listener who feels that emotion. The mood label, which the baselines filter on, is
the label of the target's region by the one rule moodtune has for it (`ranking.mood_quadrant`,
which its mood-label factor uses too): Happy (valence ≥ 0, arousal > 0), Energetic (valence < 0,
arousal > 0), Sad (valence < 0, arousal ≤ 0), Calm (valence ≥ 0, arousal ≤ 0). Neutral's anchor
is the origin, on both axes; these ties send it to Calm.

{queries}

**Methods**, all asked for k = {k} tracks per query on the same catalog:

- **A: popularity in label** (seed baseline A): the k most popular tracks with the query's mood
  label. Tracks of unknown popularity come after known ones; equal popularity is ordered by a
  fixed random permutation (seed 0). The Deezer set has no popularity at all, so there A is a
  seeded random draw of k tracks from the label.
- **B: kNN in label** (seed baseline B): the k tracks with the label nearest to the label's
  centroid in z-scored audio-feature space (every audio feature the catalog knows and that
  varies; a value unknown for a track sits at the feature's mean). The Deezer set has no audio
  features, only valence and arousal, so there B runs on those two, z-scored.
- **moodtune**: `moodtune.music.recommend` with the `match` strategy for a listener who feels the
  query's emotion, the packaged genre mapping and no user: the engine as it is, untuned for
  these queries. Where the catalog has mood labels (Spotify moods) it reads them as the
  baselines do, through its mood-label factor, and weighs them against the other factors
  (`docs/music/recommending.md`, `music/ranking.py`).

**Measures** (means over the seven queries; ↓ lower is better, ↑ higher is better):

- *VA distance* ↓: mean Euclidean valence–arousal distance of the listed tracks to the target.
- *in quadrant* ↑: share of the listed tracks in the target's quadrant, averaged over the queries
  whose target lies in one. A target on an axis has no quadrant: the tie rule gives it a label to
  filter on, but "the target's side" of that axis is undefined, and a method that aims at the
  point itself lists tracks from all sides of it. Such a query's distance, P@k and diversity
  still count. Where the labels are the quadrants (Deezer), the baselines score 1 by
  construction. Averaged over: {excluded}.
- *P@k* ↑: share of the k slots holding a track with the target's human mood label (only where the
  labels are human; on Deezer the labels are the quadrants, so P@k would repeat *in quadrant*).
  The baselines list only tracks with that label, so their P@k is 1 by construction wherever a
  label has k tracks. moodtune reads the same labels, as the catalog holds them, but as one
  factor among several (a certain label is worth one mood-kernel width of distance), so its P@k
  says how often the tracks that fit the target best also carry its label, not how well the
  cross-fitted placement alone finds it. P@k is shown, not checked: no method can pass a baseline
  that scores 1 by construction.
- *audio div.* ↑: mean pairwise distance of the listed tracks in z-scored audio-feature space.
- *artists* ↑: distinct artists per listed track (1 = no artist twice); *genres* ↑ likewise for
  primary genres, where the catalog has genres (neither set here has).
- *coverage* ↑: share of the catalog listed for at least one of the seven queries.
- *popularity*: mean popularity (0–1) of all listed tracks, against the catalog's mean.
"""


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _excluded(report: EvalReport) -> str:
    """Which queries the quadrant share leaves out, in words."""
    left_out = [f"{q.emotion} {q.target}" for q in report.queries if not q.has_quadrant]
    if not left_out:
        return "all of them"
    return "every query but " + ", ".join(left_out) + ", whose target lies on an axis"


def _queries_table(report: EvalReport) -> str:
    rows = ["| emotion | target (valence, arousal) | mood label |", "| --- | --- | --- |"]
    rows += [f"| {q.emotion} | ({q.target[0]:+.2f}, {q.target[1]:+.2f}) | {q.mood} |" for q in report.queries]
    return "\n".join(rows)


def _popularity(method: MethodScores, result: SetResult) -> str:
    if method.popularity is None or result.catalog_popularity is None:
        return "n/a"
    return f"{method.popularity:.3f} (×{method.popularity / result.catalog_popularity:.2f})"


def _set_section(result: SetResult, k: int) -> str:
    lines = [f"## {result.name} ({result.tracks:,} tracks)", ""]
    lines += [f"- {note}" for note in result.notes]
    genres = any(m.mean("genre_share") is not None for m in result.methods)
    lines += [
        "",
        f"| method | VA distance ↓ | in quadrant ↑ | P@{k} ↑ | audio div. ↑ | artists ↑ |"
        + (" genres ↑ |" if genres else "")
        + " coverage ↑ | popularity |",
        "| --- |" + " --- |" * (8 if genres else 7),
    ]
    for m in result.methods:
        name = f"**{m.method}**" if m.method == MOODTUNE else m.method
        measures = ["distance", "quadrant_share", "precision", "audio_diversity", "artist_share"]
        cells = [_number(m.mean(x)) for x in measures + (["genre_share"] if genres else [])]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_number(m.coverage, 4)} | {_popularity(m, result)} |")
    if result.catalog_popularity is not None:
        lines += ["", f"Catalog mean popularity: {result.catalog_popularity:.3f}."]
    if result.label_points:
        lines += [
            "",
            "Where the tracks of each human label lie (mean valence, arousal) and the share of them in "
            "that label's quadrant:",
            "",
            "| label | tracks | valence | arousal | in its quadrant |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {p.mood} | {p.tracks} | {p.valence:+.2f} | {p.arousal:+.2f} | {p.in_quadrant:.2f} |"
            for p in result.label_points
        ]
    names = [m.method for m in result.methods]
    on_axis = any(s.quadrant_share is None and s.distance is not None for m in result.methods for s in m.lists)
    lines += [
        "",
        "Per emotion: VA distance ↓ / in quadrant ↑"
        + (f" / P@{k} ↑" if result.human_labels else "")
        + (" (in quadrant n/a: the target lies on an axis)." if on_axis else "."),
        "",
        "| emotion | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for i, first in enumerate(result.methods[0].lists):
        cells = []
        for m in result.methods:
            s = m.lists[i]
            cell = f"{_number(s.distance, 2)} / {_number(s.quadrant_share, 1)}"
            cells.append(cell + (f" / {_number(s.precision, 1)}" if result.human_labels else ""))
        lines.append(f"| {first.emotion} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _checks_section(report: EvalReport) -> str:
    lines = [
        "## Checks: moodtune against each baseline",
        "",
        "moodtune passes a check when its mean VA distance is lower than the baseline's, and its "
        "quadrant share and each diversity measure are at least the baseline's.",
        "",
        "| set | measure | baseline | moodtune | baseline's | passed |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for result in report.sets:
        for c in result.checks():
            lines.append(
                f"| {result.name} | {c.measure} | {c.baseline} | {c.moodtune:.3f} | {c.other:.3f} | "
                f"{'yes' if c.passed else '**no**'} |"
            )
    failed = [(r, c) for r in report.sets for c in r.checks() if not c.passed]
    lines.append("")
    if not failed:
        lines.append("moodtune passes every check on every set.")
    for result, c in failed:
        lines.append(
            f"- Failed on {result.name}: {c.measure} against {c.baseline} ({c.moodtune:.3f} vs {c.other:.3f}); "
            f"moodtune is behind on {_behind(result, c)}."
        )
    return "\n".join(lines)


def _behind(result: SetResult, check: Check) -> str:
    """The queries where moodtune's list is worse than the baseline's on the check's measure."""
    ours, theirs = result.method(MOODTUNE), result.method(check.baseline)
    worse = []
    for mine, other in zip(ours.lists, theirs.lists, strict=True):
        a, b = getattr(mine, check.measure), getattr(other, check.measure)
        if a is not None and b is not None and (a < b if HIGHER_IS_BETTER[check.measure] else a > b):
            worse.append(f"{mine.emotion} ({a:.2f} vs {b:.2f})")
    return ", ".join(worse) if worse else "no single query, only on the mean"


def render_markdown(report: EvalReport, *, command: str, date: str) -> str:
    """The report as a Markdown document.

    Parameters
    ----------
    report : from ``evaluate_methods``.
    command : the command line that produced it, quoted in the header.
    date : ISO date of the run.
    """
    header = (
        "# Recommendation evaluation: moodtune against the seeds' recommenders\n\n"
        f"Written by `{command}` on {date}. The run is deterministic: the same data give the same figures."
    )
    parts = [
        header,
        _SETUP.format(queries=_queries_table(report), k=report.k, excluded=_excluded(report)),
        *(_set_section(result, report.k) for result in report.sets),
        _checks_section(report),
    ]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"
