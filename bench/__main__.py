"""``python -m bench [all|ledger|loans|callbacks|http|idle_cash|simulator|credit_scores|
notifications|reminders]``: every benchmark, or the one named.

The ledger benchmark needs DATABASE_URL to point to a PostgreSQL server; its database is only
used to create and drop the scratch database ``hazina_bench`` (Django's test-database
machinery), so development data is never touched. The loans benchmark times the loan
arithmetic in pure Python, then lists the loans of a 500-member chama: in a scratch database
on PostgreSQL when DATABASE_URL names one (``hazina_bench_loans``, or ``--scratch-db``),
otherwise in an in-memory SQLite database. The callbacks benchmark sends a burst of Daraja
callbacks to a live server on PostgreSQL (scratch database ``hazina_bench``). The http
benchmark serves the app with gunicorn on PostgreSQL (scratch database ``hazina_bench_http``,
or ``--scratch-db``) and reports the write path, the lists and the callbacks as ratios to a
floor request. The idle_cash benchmark generates 5,000 chamas with their paybill history on
PostgreSQL (scratch database ``hazina_bench_idle``, or ``--scratch-db``) and times the weekly
idle-cash scan with its query count. The credit_scores benchmark generates 10,000 then
100,000 memberships with their dues and meetings on PostgreSQL (scratch database
``hazina_bench_scores``, or ``--scratch-db``) and times the monthly scoring at each, with its
query count and the growth factor. The simulator benchmark times the savings-goal Monte
Carlo (NumPy) against a per-path Python loop of the same model, no database. The
notifications benchmark fans one event out to a 500-member chama and runs its delivery task
(scratch ``hazina_bench_notify`` on PostgreSQL, else in memory). The reminders
benchmark times the contribution reminders over 10,000 and 100,000 generated dues on
PostgreSQL (scratch database ``hazina_bench_reminders``, or ``--scratch-db``).
"""

import argparse
import os
import sys
from urllib.parse import urlsplit

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
REFUSAL = (
    "The ledger, callbacks and http benchmarks measure PostgreSQL, the production database: set "
    "DATABASE_URL to a PostgreSQL server, e.g.\n"
    "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench\n"
    "Each creates and drops its own scratch database (hazina_bench, hazina_bench_http) there.\n"
    "The loans benchmark runs without one (its loan list then on SQLite): python -m bench loans"
)
BENCHMARKS = (
    "ledger",
    "loans",
    "callbacks",
    "http",
    "idle_cash",
    "simulator",
    "credit_scores",
    "notifications",
    "reminders",
)
POSTGRES_ONLY = frozenset(
    {"ledger", "callbacks", "http", "idle_cash", "credit_scores", "reminders"}
)


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
    parser.add_argument(
        "--runs", type=int, default=50, help="ledger and loan list: timed runs per measure"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="ledger and loan list: untimed runs first"
    )
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="ledger, loan list and http: leave the scratch database in place afterwards",
    )
    parser.add_argument(
        "--list-sizes",
        default="50,500",
        help="loans: how many loans to list at, in increasing order (default: 50,500)",
    )
    parser.add_argument(
        "--scratch-db",
        default=None,
        help="loans and http: the scratch database to create and drop on PostgreSQL "
        "(default: hazina_bench_loans for the loan list, hazina_bench_http for http)",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="http: interleaved rounds of every measure"
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="http: requests per measure per round (default: 200)",
    )
    parser.add_argument("--clients", type=int, default=8, help="http: client threads (default: 8)")
    parser.add_argument(
        "--chamas", type=int, default=5000, help="idle_cash: chamas to generate (default: 5000)"
    )
    parser.add_argument(
        "--score-sizes",
        default="10000,100000",
        help="credit_scores: memberships to score at, in increasing order (default: 10000,100000)",
    )
    parser.add_argument(
        "--simulator-rounds",
        type=int,
        default=7,
        help="simulator: interleaved rounds of the vectorised run and the loop (default: 7)",
    )
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    chosen = BENCHMARKS if args.benchmark == "all" else (args.benchmark,)
    scheme = urlsplit(os.environ.get("DATABASE_URL", "")).scheme
    if POSTGRES_ONLY & set(chosen) and scheme not in POSTGRES_SCHEMES:
        print(REFUSAL, file=sys.stderr)
        return 2
    if args.scratch_db and args.scratch_db == urlsplit(os.environ.get("DATABASE_URL", "")).path[1:]:
        # The scratch database is dropped first and last: never the one the URL names.
        print(f"--scratch-db {args.scratch_db} is DATABASE_URL's own database.", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # No query log in the debug cursor while generating 100,000 postings.
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()

    status = 0
    if "simulator" in chosen:
        from bench.simulator import run as simulator_run

        status = simulator_run(rounds=args.simulator_rounds)
    if "credit_scores" in chosen and status == 0:
        from bench.credit_scores import SCRATCH_DB as SCORES_SCRATCH_DB
        from bench.credit_scores import run as credit_scores_run

        status = credit_scores_run(
            sizes=tuple(int(size) for size in args.score_sizes.split(",")),
            keep_db=args.keep_db,
            scratch_db=args.scratch_db or SCORES_SCRATCH_DB,
        )
    if "loans" in chosen and status == 0:
        from bench.loan_list import SCRATCH_DB as LOANS_SCRATCH_DB
        from bench.loan_list import run as loan_list_run
        from bench.loans import run as loans_run

        status = loans_run() or loan_list_run(
            sizes=[int(size) for size in args.list_sizes.split(",")],
            runs=args.runs,
            warmup=args.warmup,
            keep_db=args.keep_db,
            scratch_db=args.scratch_db or LOANS_SCRATCH_DB,
        )
    if "ledger" in chosen and status == 0:
        from bench.ledger import run as ledger_run

        sizes = [int(size) for size in args.sizes.split(",")]
        status = ledger_run(sizes=sizes, runs=args.runs, warmup=args.warmup, keep_db=args.keep_db)
    if "callbacks" in chosen and status == 0:
        from bench.callbacks import run as callbacks_run

        status = callbacks_run()
    if "http" in chosen and status == 0:
        from bench.http import SCRATCH_DB as HTTP_SCRATCH_DB
        from bench.http import run as http_run

        status = http_run(
            rounds=args.rounds,
            requests_per_round=args.requests,
            clients=args.clients,
            keep_db=args.keep_db,
            scratch_db=args.scratch_db or HTTP_SCRATCH_DB,
        )
    if "idle_cash" in chosen and status == 0:
        from bench.idle_cash import SCRATCH_DB as IDLE_SCRATCH_DB
        from bench.idle_cash import run as idle_cash_run

        status = idle_cash_run(
            chamas=args.chamas,
            keep_db=args.keep_db,
            scratch_db=args.scratch_db or IDLE_SCRATCH_DB,
        )
    if "notifications" in chosen and status == 0:
        from bench.notifications import run as notifications_run

        status = notifications_run(keep_db=args.keep_db)
    if "reminders" in chosen and status == 0:
        from bench.reminders import SCRATCH_DB as REMINDERS_SCRATCH_DB
        from bench.reminders import run as reminders_run

        status = reminders_run(
            keep_db=args.keep_db, scratch_db=args.scratch_db or REMINDERS_SCRATCH_DB
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
