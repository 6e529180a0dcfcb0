"""python -m multienv ARGS runs resolver ARGS."""

import os
import subprocess
import sys

from . import ResolverError, find_resolver, _start_error


def main() -> int:
    try:
        resolver = find_resolver()
    except ResolverError as e:
        print(f"multienv: {e.message}", file=sys.stderr)
        return e.exit_code
    try:
        if sys.platform == "win32":
            return subprocess.run([resolver, *sys.argv[1:]]).returncode
        os.execv(resolver, [resolver, *sys.argv[1:]])
    except OSError as e:
        err = _start_error(resolver, e)
        # The message names the binary after "resolver: "; this line is ours.
        message = err.message[len("resolver: "):] if err.message.startswith("resolver: ") else err.message
        print(f"multienv: {message}", file=sys.stderr)
        return err.exit_code
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
