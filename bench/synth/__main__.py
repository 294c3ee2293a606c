"""`python -m bench.synth --out DIR --count N --seed S`: write N synthetic invoices with truth."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.synth import write_set
from bench.synth.locales import LANGUAGES
from bench.synth.style import LAYOUTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="folder for <id>.pdf and <id>.truth.json")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="index of the first document")
    parser.add_argument("--layout", choices=LAYOUTS, help="one layout family for all (default: cycle)")
    parser.add_argument("--language", choices=LANGUAGES, help="one language for all (default: cycle)")
    parser.add_argument("--items", type=int, help="line items per invoice (default: random 1..60)")
    parser.add_argument("--name", help="file name (without extension) for a single document")
    args = parser.parse_args(argv)
    if args.name and args.count != 1:
        parser.error("--name needs --count 1")
    paths = write_set(args.out, args.count, args.seed, args.start, name=args.name, layout=args.layout,
                      language=args.language, items=args.items)
    print(f"wrote {len(paths)} invoices to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
