#!/usr/bin/env python3
"""Build multienv's platform wheel from a release archive, with the standard
library only.

    python3 python/build_wheel.py --out dist dist/resolver_1.2.3_linux_amd64.tar.gz ...

Each archive (resolver_VERSION_OS_ARCH.tar.gz, or .zip for windows, as
internal/release makes them) gives one wheel: the resolver binary as a script
(multienv-VERSION.data/scripts/, which pip installs on PATH, as ruff and
maturin do) and the multienv module beside this file. Every file of the wheel
has the archive's time, so that one archive always gives the same wheel.
"""

from __future__ import annotations

import argparse
import base64
import calendar
import hashlib
import io
import os
import re
import sys
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# The wheel platform tags of each release platform. resolver is a static
# binary (no cgo), so any glibc or musl Linux runs it; Go 1.24 needs macOS 11.
PLATFORM_TAGS = {
    "linux_amd64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64"],
    "linux_arm64": ["manylinux_2_17_aarch64", "manylinux2014_aarch64", "musllinux_1_1_aarch64"],
    "darwin_amd64": ["macosx_11_0_x86_64"],
    "darwin_arm64": ["macosx_11_0_arm64"],
    "windows_amd64": ["win_amd64"],
    "windows_arm64": ["win_arm64"],
}

ARCHIVE = re.compile(r"^resolver_(?P<version>[0-9A-Za-z.+-]+)_(?P<platform>[a-z]+_[a-z0-9]+)\.(?:tar\.gz|zip)$")
# A version as internal/release and the Action take it (v stripped).
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-(?P<pre>[0-9A-Za-z.-]+))?$")
# The pre-release spellings PEP 440 itself normalizes (alpha a, beta b, c,
# pre and preview rc), with an optional number (0 when left out), and dev.
PEP440_PRE = re.compile(r"^(?P<l>a|alpha|b|beta|c|rc|pre|preview|dev)[.-]?(?P<n>[0-9]+)?$", re.IGNORECASE)
PRE = {"a": "a", "alpha": "a", "b": "b", "beta": "b", "c": "rc", "rc": "rc", "pre": "rc", "preview": "rc", "dev": ".dev"}

SUMMARY = "Which environment am I in? multienv's resolver command and a Python module to call it."


class BuildError(Exception):
    pass


def pep440(version: str) -> str:
    """The PEP 440 version of a semantic version, in its normal form.

    1.2.3 -> 1.2.3; a pre-release PEP 440 knows keeps its meaning: 1.2.3-rc.1
    -> 1.2.3rc1, -alpha.2 -> a2, -beta -> b0, -pre -> rc0, -dev.4 -> .dev4.
    Any other pre-release sorts before its release as a development release
    that keeps its name as a local label: 1.2.3-nightly.20240101 ->
    1.2.3.dev0+nightly.20240101 (pip installs it; PyPI takes no local label).
    Build metadata (+...) is refused.
    """
    m = SEMVER.match(version)
    if not m:
        raise BuildError(f"version {version!r}: want a semantic version MAJOR.MINOR.PATCH[-PRERELEASE]")
    out = ".".join(m.group(1, 2, 3))
    pre = m.group("pre")
    if pre is None:
        return out
    known = PEP440_PRE.match(pre)
    if known:
        return out + PRE[known.group("l").lower()] + str(int(known.group("n") or "0"))
    parts = [str(int(p)) if p.isdigit() else p for p in re.split(r"[.-]+", pre.lower()) if p]
    label = ".".join(parts) or "0"
    return f"{out}.dev0+{label}"


def read_binary(path: str, exe: str) -> tuple[bytes, float]:
    """The archive's exe, and its modification time."""
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(exe)
            return z.read(info), float(calendar.timegm(info.date_time + (0, 0, 0)))
    with tarfile.open(path, "r:gz") as t:
        member = t.getmember(exe)
        f = t.extractfile(member)
        if f is None or not member.isfile():
            raise BuildError(f"{path}: {exe} is no file")
        return f.read(), float(member.mtime)


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def metadata(version: str) -> str:
    readme = os.path.join(HERE, "README.md")
    with open(readme, encoding="utf-8") as f:
        description = f.read()
    return (
        "Metadata-Version: 2.1\n"
        "Name: multienv\n"
        f"Version: {version}\n"
        f"Summary: {SUMMARY}\n"
        "Home-page: https://github.com/multienv/multienv\n"
        "Requires-Python: >=3.8\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Typing :: Typed\n"
        "Description-Content-Type: text/markdown\n"
        "\n" + description
    )


def build(archive: str, out: str) -> str:
    """Write the wheel of one archive into out; returns its path."""
    m = ARCHIVE.match(os.path.basename(archive))
    if not m:
        raise BuildError(f"{archive}: want an archive named resolver_VERSION_OS_ARCH.tar.gz (or .zip)")
    platform = m.group("platform")
    if platform not in PLATFORM_TAGS:
        raise BuildError(f"{archive}: no wheel tag for platform {platform}")
    version = pep440(m.group("version"))
    exe = "resolver.exe" if platform.startswith("windows_") else "resolver"
    binary, mtime = read_binary(archive, exe)
    # zip times start in 1980; they are written as UTC, as the archive's are.
    date_time = time.gmtime(max(mtime, 315532800 + 86400))[:6]

    tags = PLATFORM_TAGS[platform]
    name = f"multienv-{version}-py3-none-{'.'.join(tags)}.whl"
    dist_info = f"multienv-{version}.dist-info"
    files: list[tuple[str, bytes, int]] = []
    package = os.path.join(HERE, "multienv")
    for entry in sorted(os.listdir(package)):
        if entry.endswith((".py", ".typed")):
            with open(os.path.join(package, entry), "rb") as f:
                files.append((f"multienv/{entry}", f.read(), 0o644))
    files.append((f"multienv-{version}.data/scripts/{exe}", binary, 0o755))
    wheel = "Wheel-Version: 1.0\nGenerator: multienv build_wheel.py\nRoot-Is-Purelib: false\n"
    wheel += "".join(f"Tag: py3-none-{tag}\n" for tag in tags)
    files.append((f"{dist_info}/METADATA", metadata(version).encode("utf-8"), 0o644))
    files.append((f"{dist_info}/WHEEL", wheel.encode("utf-8"), 0o644))
    record = io.StringIO()
    for path, data, _ in files:
        record.write(f"{path},{record_hash(data)},{len(data)}\n")
    record.write(f"{dist_info}/RECORD,,\n")
    files.append((f"{dist_info}/RECORD", record.getvalue().encode("utf-8"), 0o644))

    os.makedirs(out, exist_ok=True)
    target = os.path.join(out, name)
    with zipfile.ZipFile(target + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
        for path, data, mode in files:
            info = zipfile.ZipInfo(path, date_time)
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3  # Unix, so that pip keeps the mode
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(target + ".tmp", target)
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build multienv's wheels from release archives.")
    parser.add_argument("--out", default="dist", help="the directory the wheels go to")
    parser.add_argument("archives", nargs="+", help="resolver_VERSION_OS_ARCH.tar.gz or .zip")
    args = parser.parse_args(argv)
    try:
        for archive in args.archives:
            print(build(archive, args.out))
    except (BuildError, OSError, KeyError, tarfile.TarError, zipfile.BadZipFile) as e:
        print(f"build_wheel: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
