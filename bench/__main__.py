"""``python -m bench [all|ledger|loans]``: every benchmark, or the one named.

The ledger benchmark needs DATABASE_URL to point to a PostgreSQL server; its database is only
used to create and drop the scratch database ``hazina_bench`` (Django's test-database
machinery), so development data is never touched. The loans benchmark is pure Python and needs
no database.
"""

import argparse
import os
import sys
from urllib.parse import urlsplit

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
REFUSAL = (
    "The ledger benchmark measures PostgreSQL, the production database: set DATABASE_URL to a "
    "PostgreSQL server, e.g.\n"
    "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench\n"
    "It creates and drops its own scratch database (hazina_bench) on that server.\n"
    "The loans benchmark alone needs no database: python -m bench loans"
)
BENCHMARKS = ("ledger", "loans")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "benchmark",
        nargs="?",
        choices=("all", *BENCHMARKS),
        default="all",
        help="which benchmark to run (default: all)",
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="ledger: posting counts to measure at, in increasing order (default: 10000,100000)",
    )
    parser.add_argument("--runs", type=int, default=50, help="ledger: timed runs per measure")
    parser.add_argument("--warmup", type=int, default=5, help="ledger: untimed runs first")
    parser.add_argument(
        "--keep-db", action="store_true", help="ledger: leave hazina_bench in place afterwards"
    )
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    chosen = BENCHMARKS if args.benchmark == "all" else (args.benchmark,)
    scheme = urlsplit(os.environ.get("DATABASE_URL", "")).scheme
    if "ledger" in chosen and scheme not in POSTGRES_SCHEMES:
        print(REFUSAL, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # No query log in the debug cursor while generating 100,000 postings.
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()

    status = 0
    if "loans" in chosen:
        from bench.loans import run as loans_run

        status = loans_run()
    if "ledger" in chosen and status == 0:
        from bench.ledger import run as ledger_run

        sizes = [int(size) for size in args.sizes.split(",")]
        status = ledger_run(sizes=sizes, runs=args.runs, warmup=args.warmup, keep_db=args.keep_db)
    return status


if __name__ == "__main__":
    sys.exit(main())
