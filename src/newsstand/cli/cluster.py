"""`newsstand cluster`: JSON lines of articles in, their stories out; no database."""

from __future__ import annotations

import argparse

from newsstand.cli.command import Command


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--join-threshold", type=float, help="score to join a story")
    parser.add_argument("--merge-threshold", type=float, help="centroid cosine to merge stories")
    parser.add_argument("--no-entities", action="store_true", help="ignore named entities")
    parser.add_argument(
        "--no-regroup", action="store_true", help="skip the final pass that joins stories"
    )


def handle(args: argparse.Namespace) -> int:
    import os

    from newsstand.compute.text_model import default_cache_dir
    from newsstand.usecases.cluster_cli import cluster_command

    return cluster_command(
        args.join_threshold,
        args.merge_threshold,
        not args.no_entities,
        not args.no_regroup,
        cache_dir=default_cache_dir(os.environ),  # as the settings would say; no Django here
    )


COMMAND = Command(
    help="read JSON lines {id, title, text?, published?, publisher?}; write {id, story} lines",
    handle=handle,
    arguments=arguments,
    django=False,  # pure: no Django, no database
)
