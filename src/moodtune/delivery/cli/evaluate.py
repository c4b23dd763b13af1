"""Scoring commands: the expression model on FER2013, the text model on its test sets."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from moodtune.errors import InputError, MoodtuneError

from .app import Split, app, fail, out, progress_bars


@app.command()
def evaluate(
    data: Annotated[Path, typer.Option(help="FER2013 CSV (.csv or .csv.gz).")],
    split: Annotated[Split, typer.Option(help="Usage split to score.")] = Split.PrivateTest,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: Annotated[str | None, typer.Option(help="Expression model name or .onnx path.")] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Also write a report folder: metrics.json, confusion_matrix.png, curves.png, report.md."),
    ] = None,
) -> None:
    """Accuracy, macro-F1 and per-class figures of an expression model on a FER2013 split."""
    from moodtune.perception.expression import load_expression_model
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.evaluate import evaluate_model

    try:
        expression = load_expression_model(model)
        faces = load_fer2013(data, split.value)
        with progress_bars() as bar:
            result = evaluate_model(expression, faces, progress=bar(f"scoring {split.value}"))
        if report is not None:
            from moodtune.training.reports import write_report

            write_report(result, report, history=expression.config.provenance.get("history"))
    except MoodtuneError as exc:
        fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    out.print(
        Text.assemble(
            f"{result['model']} on {result['split']} (n={result['n']}): accuracy ",
            (f"{result['accuracy']:.4f}", "bold"),
            f", macro-F1 {result['macro_f1']:.4f}; with flip TTA {result['flip_tta']['accuracy']:.4f} / "
            f"{result['flip_tta']['macro_f1']:.4f}",
        )
    )
    table = Table("class", "precision", "recall", "F1", "specificity", "AUC", "n")
    for name, m in result["per_class"].items():
        table.add_row(
            name, *(f"{m[k]:.3f}" for k in ("precision", "recall", "f1", "specificity", "auc")), str(m["support"])
        )
    out.print(table)
    if report is not None:
        out.print(f"report: {report / 'report.md'}")


@app.command("evaluate-text")
def evaluate_text(
    data: Annotated[Path, typer.Option(help="Folder holding dair_emotion/ and goemotions/.")],
    split: Annotated[str, typer.Option(help="Split of both datasets: test, validation or train.")] = "test",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: Annotated[str, typer.Option(help="Text model name or .npz path.")] = "text_mood",
) -> None:
    """Accuracy, macro-F1 and confusion matrices of the text-mood model on dair-ai emotion and GoEmotions."""
    from moodtune.perception.text import load_text_model
    from moodtune.training.text.evaluate import evaluate_text_model

    if split not in ("test", "validation", "train"):
        fail(InputError("--split must be test, validation or train"))
    try:
        text_model = load_text_model(model)
        with progress_bars() as bar:
            result = evaluate_text_model(text_model, data, split, progress=bar(f"scoring {split}"))
    except MoodtuneError as exc:
        fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    for name in ("dair", "goemotions"):
        r = result[name]
        out.print(
            Text.assemble(
                f"{name} {split} (n={r['n']}, classes {', '.join(r['labels'])}): accuracy ",
                (f"{r['accuracy']:.4f}", "bold"),
                ", macro-F1 ",
                (f"{r['macro_f1']:.4f}", "bold"),
            )
        )
        table = Table("true \\ predicted", *r["labels"])
        for label, row in zip(r["labels"], r["confusion_matrix"], strict=True):
            table.add_row(label, *(str(v) for v in row))
        out.print(table)
