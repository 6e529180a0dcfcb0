"""Which environment am I in? multienv's resolver, for Python services.

The wheel carries the resolver command (pip puts it on PATH); detect() runs
``resolver current --json`` and returns its answer as a Result::

    import multienv

    env = multienv.detect()          # raises multienv.ResolverError
    print(env.id, env.kind, env.values.get("bucket"))
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

__all__ = ["Result", "ResolverError", "ResolverNotFoundError", "detect", "find_resolver"]

# The variable that names the resolver binary to run instead of the one the
# wheel installed.
PATH_VARIABLE = "MULTIENV_RESOLVER_PATH"

_EXE = "resolver.exe" if sys.platform == "win32" else "resolver"


@dataclass(frozen=True)
class Result:
    """The environment resolved, as ``resolver current --json`` prints it."""

    id: str  # sbx-101
    env: str  # sbx
    instance: str  # 101, or ""
    kind: str  # devops, sandbox, workload or production
    emoji: str
    runtime: str  # local, github_action, aws_lambda, ...
    group: str  # local, ci or app
    pr: bool  # True whenever a pull-request number is known
    source: str  # the variable that supplied the value, or "default"
    rule: str
    config: str  # the file used, or "(default)"
    values: Dict[str, Any] = field(default_factory=dict)
    pr_number: str = ""
    branch: str = ""
    base_branch: str = ""
    tag: str = ""
    commit: str = ""
    build: str = ""
    build_url: str = ""
    repo: str = ""
    description: str = ""  # the environment's, from the file
    # True when the pull request's head repository is not the base one,
    # False when the vendor says it is the same, None when unknown.
    fork: Optional[bool] = None
    event: str = ""  # push, pull_request, tag, schedule, manual, api, other; "" when unknown
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)  # the whole JSON object


class ResolverError(Exception):
    """resolver failed: message is what it printed on stderr, exit_code its status
    (1 the environment could not be resolved, 2 usage, 3 the configuration; as
    shells report them: 124 no answer within the timeout, 126 a binary that
    cannot be run, 127 no binary, 128+N killed by signal N)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class ResolverNotFoundError(ResolverError):
    """No resolver binary: neither $MULTIENV_RESOLVER_PATH nor the wheel's."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 127)


def find_resolver(env: Optional[Mapping[str, str]] = None) -> str:
    """The resolver binary: $MULTIENV_RESOLVER_PATH, else the one the wheel put
    in this Python's scripts directory, else the one on PATH. A relative
    $MULTIENV_RESOLVER_PATH is relative to this process's working directory
    (not to detect()'s cwd); the path returned is absolute."""
    environ = os.environ if env is None else env
    named = environ.get(PATH_VARIABLE, "")
    if named:
        path = os.path.abspath(named)
        if not os.path.exists(path):
            raise ResolverNotFoundError(f"{PATH_VARIABLE}={named!r} names no file")
        if not os.path.isfile(path):
            raise ResolverError(f"{PATH_VARIABLE}={named!r} is not a file", 126)
        return path
    candidates = [sysconfig.get_path("scripts")]
    user = sysconfig.get_preferred_scheme("user") if hasattr(sysconfig, "get_preferred_scheme") else None
    if user:
        candidates.append(sysconfig.get_path("scripts", scheme=user))
    for directory in candidates:
        path = os.path.join(directory, _EXE) if directory else ""
        if path and os.path.isfile(path):
            return path
    found = shutil.which(_EXE, path=environ.get("PATH"))
    if found:
        return found
    raise ResolverNotFoundError(f"no resolver in {candidates[0]} nor on PATH; set {PATH_VARIABLE}")


def detect(
    config: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
    timeout: float = 30,
) -> Result:
    """Resolve the environment, as ``resolver [--config FILE] current --json`` does.

    env is the environment resolver reads (default: this process's), cwd the
    directory it finds multienv.toml from. Raises ResolverError on failure.
    """
    environ = dict(os.environ if env is None else env)
    resolver = find_resolver(environ)
    args = [resolver]
    if config is not None:
        args += ["--config", config]
    args += ["current", "--json"]
    if cwd is not None and not os.path.isdir(cwd):
        raise ResolverError(f"cwd {os.fspath(cwd)!r} is not a directory", 2)
    try:
        done = subprocess.run(args, env=environ, cwd=cwd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise ResolverError(f"resolver did not answer in {timeout} s", 124) from e
    except OSError as e:
        raise _start_error(resolver, e) from e
    except (ValueError, TypeError) as e:  # an argument or variable no process can be given
        raise ResolverError(f"resolver: cannot be run with these arguments: {e}", 2) from e
    if done.returncode < 0:
        raise ResolverError(f"resolver: killed by {_signal_name(-done.returncode)}", 128 - done.returncode)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"resolver: exit {done.returncode}"
        raise ResolverError(message, done.returncode)
    try:
        data = json.loads(done.stdout)
    except ValueError as e:
        raise ResolverError(f"resolver printed no JSON: {e}", 1) from e
    if not isinstance(data, dict):
        raise ResolverError("resolver printed JSON that is not an object", 1)
    return _result(data)


def _start_error(resolver: str, e: OSError) -> ResolverError:
    """The ResolverError of a resolver binary that did not start: 127 when it
    (or its interpreter) is not there, else 126, as shells report them."""
    if isinstance(e, FileNotFoundError):
        return ResolverError(f"resolver: {resolver} or its interpreter is not there", 127)
    if isinstance(e, PermissionError):
        return ResolverError(f"resolver: {resolver} is not executable", 126)
    if e.errno == errno.ENOEXEC:
        return ResolverError(f"resolver: {resolver} is not a program this system runs", 126)
    return ResolverError(f"resolver: {resolver} cannot be run: {e.strerror or e}", 126)


def _signal_name(n: int) -> str:
    try:
        return signal.Signals(n).name
    except ValueError:
        return f"signal {n}"


def _result(data: Dict[str, Any]) -> Result:
    def text(key: str) -> str:
        value = data.get(key, "")
        return value if isinstance(value, str) else str(value)

    values = data.get("values")
    fork = data.get("fork")
    return Result(
        id=text("id"),
        env=text("env"),
        instance=text("instance"),
        kind=text("kind"),
        emoji=text("emoji"),
        description=text("description"),
        runtime=text("runtime"),
        group=text("group"),
        pr=data.get("pr") is True,
        source=text("source"),
        rule=text("rule"),
        config=text("config"),
        values=values if isinstance(values, dict) else {},
        pr_number=text("pr_number"),
        branch=text("branch"),
        base_branch=text("base_branch"),
        tag=text("tag"),
        commit=text("commit"),
        build=text("build"),
        build_url=text("build_url"),
        repo=text("repo"),
        fork=fork if isinstance(fork, bool) else None,
        event=text("event"),
        raw=data,
    )
