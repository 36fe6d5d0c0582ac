"""Command line: `python -m ae_core train ...` and `python -m ae_core reproduce`.

The CLI owns the terminal; the library only logs.
"""

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

from ae_core.models import KINDS
from ae_core.presets import PRESETS

# What the 2016 post reports: (epochs, loss). None where it gives no number.
PUBLISHED = {
    "simple": 0.11, "sparse": 0.10, "deep": 0.097, "conv": 0.094,
    "denoising": None, "lstm": None, "vae": None,
}  # fmt: skip
PUBLISHED_ACTIVATION = {"simple": 7.30, "sparse": 3.33}


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "train":
        status = train_command(args)
        sys.exit(0 if status["state"] == "done" else 1)
    reproduce_command(args)


def _parser():
    parser = argparse.ArgumentParser(prog="python -m ae_core")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train one autoencoder")
    train.add_argument("kind", choices=KINDS)
    train.add_argument("--preset", choices=PRESETS, default="fast")
    for flag in ("--epochs", "--train-size", "--batch-size", "--latent-dim"):
        train.add_argument(flag, type=int)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--noise-factor", type=float, default=0.5)
    train.add_argument("--learning-rate", type=float)
    train.add_argument("--dataset", default="mnist")
    train.add_argument("--data-dir")
    train.add_argument("--out", help="run folder (default runs/KIND-PRESET-TIME)")
    train.add_argument("--tensorboard", help="TensorBoard log folder")
    reproduce = commands.add_parser("reproduce", help="the post's recipes, compared")
    reproduce.add_argument("kinds", nargs="*", metavar="KIND", help=", ".join(KINDS))
    reproduce.add_argument("--data-dir")
    reproduce.add_argument("--epochs", type=int, help="override the post's epochs")
    reproduce.add_argument("--out", default="runs/reproduce")
    return parser


def train_command(args):
    from ae_core.jobs import JobRunner
    from ae_core.spec import TrainSpec

    spec = TrainSpec(
        kind=args.kind, preset=args.preset, epochs=args.epochs,
        train_size=args.train_size, batch_size=args.batch_size, seed=args.seed,
        dataset=args.dataset, data_dir=args.data_dir,
        noise_factor=args.noise_factor, latent_dim=args.latent_dim,
        learning_rate=args.learning_rate,
    )  # fmt: skip
    if args.tensorboard and importlib.util.find_spec("tensorboard") is None:
        sys.exit("--tensorboard needs the tensorboard package: pip install tensorboard")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = Path(args.out or f"runs/{args.kind}-{args.preset}-{stamp}").resolve()
    with tempfile.TemporaryDirectory(prefix="ae-jobs-") as jobs:
        runner = JobRunner(jobs, max_running=1)
        job_id = runner.submit(spec, run_dir=out, log_dir=args.tensorboard)
        status = _follow(runner, job_id)
    print(f"\n{status['state']}: {status['message']}")
    if status["has_model"]:
        print(f"Saved {out / 'history.json'} and {out / 'model.keras'}")
    return status


def _follow(runner, job_id):
    """Draws progress until the job ends; Ctrl-C stops it cleanly."""
    shown = 0
    try:
        while True:
            status = runner.wait(job_id, timeout=0.5)
            events = runner.events(job_id)
            for event in events[shown:]:
                _show(event, status["epochs"])
            shown = len(events)
            if status["state"] in ("done", "stopped", "diverged", "failed"):
                return status
    except KeyboardInterrupt:
        print("\nStopping after this batch...")
        runner.stop(job_id)
        return runner.wait(job_id)


def _show(event, epochs):
    if event["type"] == "epoch":
        terms = ", ".join(
            f"{key} {event[key]:.4f}" for key in ("loss", "val_loss") if key in event
        )
        line = f"epoch {event['epoch']}/{epochs}: {terms} ({event['seconds']:.1f} s)"
        print(("\r" if sys.stdout.isatty() else "") + line.ljust(72))
    elif sys.stdout.isatty():
        done = event["batch"] / event["batches"]
        bar = "#" * int(30 * done)
        print(
            f"\repoch {event['epoch']}/{epochs} [{bar:<30}] loss {event['loss']:.4f}",
            end="", flush=True,
        )  # fmt: skip


def reproduce_command(args):
    from ae_core.data import add_noise, load_dataset
    from ae_core.metrics import binary_crossentropy
    from ae_core.models import encode, reconstruct
    from ae_core.spec import TrainSpec
    from ae_core.training import train

    unknown = sorted(set(args.kinds) - set(KINDS))
    if unknown:
        sys.exit(f"Unknown kinds {unknown}: expected some of {', '.join(KINDS)}.")
    data = load_dataset("mnist", args.data_dir)
    if data.is_sample:
        print("Warning: no full MNIST found; numbers on the sample are not comparable.")
    rows = []
    for kind in args.kinds or KINDS:
        spec = TrainSpec(kind, preset="paper", epochs=args.epochs)
        print(f"Training {kind} ({spec.resolved().epochs} epochs)...", flush=True)
        result = train(spec, Path(args.out) / kind, _print_epoch, dataset=data)
        last = result.epochs[-1]
        seconds = sum(e["seconds"] for e in result.epochs) / len(result.epochs)
        activation = None
        if kind in PUBLISHED_ACTIVATION:
            activation = float(encode(result.model, data.x_test).mean())
        test = data.x_test
        inputs = (
            add_noise(test, spec.noise_factor, seed=1) if kind == "denoising" else test
        )
        bce = binary_crossentropy(test, reconstruct(result.model, inputs))
        rows.append(
            (kind, len(result.epochs), last["val_loss"], bce, seconds, activation)
        )
        print(_table(rows), flush=True)
    Path(args.out, "reproduce.json").write_text(json.dumps(rows, indent=1))


def _print_epoch(event):
    if event["type"] == "epoch":
        print(
            f"  epoch {event['epoch']}: val_loss {event['val_loss']:.4f} "
            f"({event['seconds']:.1f} s)",
            flush=True,
        )


def _table(rows):
    lines = [
        "| kind | epochs | val loss | post | test BCE per pixel | s/epoch "
        "| mean code (ours / post) |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, epochs, loss, bce, seconds, activation in rows:
        post = PUBLISHED[kind]
        code = "" if activation is None else (
            f"{activation:.2f} / {PUBLISHED_ACTIVATION[kind]:.2f}"
        )  # fmt: skip
        lines.append(
            f"| {kind} | {epochs} | {loss:.4f} | {post if post else '-'} | "
            f"{bce:.4f} | {seconds:.1f} | {code} |"
        )
    return "\n".join(lines)
