"""``python -m bench``: the ledger benchmark on a scratch PostgreSQL database.

DATABASE_URL must point to a PostgreSQL server; its database is only used to create and drop
the scratch database ``hazina_bench`` (Django's test-database machinery), so development data
is never touched.
"""

import argparse
import os
import sys
from urllib.parse import urlsplit

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
REFUSAL = (
    "The benchmark measures PostgreSQL, the production database: set DATABASE_URL to a "
    "PostgreSQL server, e.g.\n"
    "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench\n"
    "It creates and drops its own scratch database (hazina_bench) on that server."
)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="posting counts to measure at, in increasing order (default: 10000,100000)",
    )
    parser.add_argument("--runs", type=int, default=50, help="timed runs per measure")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    parser.add_argument(
        "--keep-db", action="store_true", help="leave hazina_bench in place afterwards"
    )
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    scheme = urlsplit(os.environ.get("DATABASE_URL", "")).scheme
    if scheme not in POSTGRES_SCHEMES:
        print(REFUSAL, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # No query log in the debug cursor while generating 100,000 postings.
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()

    from bench.ledger import run

    sizes = [int(size) for size in args.sizes.split(",")]
    return run(sizes=sizes, runs=args.runs, warmup=args.warmup, keep_db=args.keep_db)


if __name__ == "__main__":
    sys.exit(main())
