"""Command-line options shared by the demo and serve commands."""

from __future__ import annotations

import argparse
from typing import Any

from stegvis.demo.server import default_bind, default_workers


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_server_arguments(parser: Any) -> None:
    parser.add_argument(
        "--bind",
        default=default_bind(),
        help="Address to listen on, as HOST:PORT or unix:PATH "
        "(default: $STEGVIS_BIND or 127.0.0.1:8000).",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=default_workers(),
        help="Number of worker processes (default: $STEGVIS_WORKERS or 2).",
    )
