"""The ``skw2v`` command line (also ``python -m skw2v``)."""

from __future__ import annotations

import argparse
import sys


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skw2v",
        description="word2vec sentence vectors for scikit-learn.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    demo = commands.add_parser(
        "demo",
        help="grid-search word2vec for sentiment on the bundled movie reviews",
        description=(
            "Train word2vec inside a GridSearchCV on the bundled movie reviews "
            "(CBOW vs Skip-Gram, window sizes), then print the cross-validation "
            "table, the held-out accuracy and nearest neighbours."
        ),
    )
    demo.add_argument(
        "--quick", action="store_true", help="tiny grid, few epochs (seconds)"
    )
    demo.add_argument(
        "--n-jobs", type=int, default=2, help="parallel grid-search fits (default 2)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _build_parser().parse_args(argv)
    if args.command == "demo":
        from ._demo import run_demo

        run_demo(quick=args.quick, n_jobs=args.n_jobs)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
