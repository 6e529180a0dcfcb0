"""python -m multienv ARGS runs resolver ARGS."""

import os
import subprocess
import sys

from . import ResolverNotFoundError, find_resolver


def main() -> int:
    try:
        resolver = find_resolver()
    except ResolverNotFoundError as e:
        print(f"multienv: {e.message}", file=sys.stderr)
        return e.exit_code
    if sys.platform == "win32":
        return subprocess.run([resolver, *sys.argv[1:]]).returncode
    os.execv(resolver, [resolver, *sys.argv[1:]])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
