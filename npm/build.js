#!/usr/bin/env node
"use strict";
// Stages the npm packages of a release, for npm pack or npm publish:
//
//   node npm/build.js --version 1.2.3 --out DIR --binary linux-x64=PATH [--binary ...]
//
// DIR/resolver is the launcher, @multienv/resolver, at that version, with
// every platform package as an optional dependency of exactly that version;
// DIR/resolver-<os>-<cpu> is @multienv/resolver-<os>-<cpu>, holding the
// binary, with os and cpu set so that npm installs only the one that runs.

const fs = require("node:fs");
const path = require("node:path");

// process.platform-process.arch of each release platform, and the GOOS_GOARCH
// of its archive.
const PLATFORMS = {
  "linux-x64": "linux_amd64",
  "linux-arm64": "linux_arm64",
  "darwin-x64": "darwin_amd64",
  "darwin-arm64": "darwin_arm64",
  "win32-x64": "windows_amd64",
  "win32-arm64": "windows_arm64",
};

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

function fail(message) {
  process.stderr.write(`build.js: ${message}\n`);
  process.exit(1);
}

function parse(argv) {
  const o = { binaries: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) fail(`${flag}: no value`);
    if (flag === "--version") o.version = value.replace(/^v/, "");
    else if (flag === "--out") o.out = value;
    else if (flag === "--binary") {
      const eq = value.indexOf("=");
      const platform = value.slice(0, eq);
      if (eq < 0 || !(platform in PLATFORMS)) fail(`--binary ${value}: want PLATFORM=PATH, PLATFORM one of ${Object.keys(PLATFORMS).join(", ")}`);
      o.binaries[platform] = value.slice(eq + 1);
    } else fail(`unknown flag ${flag}`);
  }
  if (!o.version || !SEMVER.test(o.version)) fail(`--version ${JSON.stringify(o.version ?? "")}: want a semantic version such as 1.2.3`);
  if (!o.out) fail("no --out");
  if (Object.keys(o.binaries).length === 0) fail("no --binary");
  return o;
}

function writeJSON(file, data) {
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + "\n");
}

function main() {
  const o = parse(process.argv.slice(2));
  const here = __dirname;
  const launcher = JSON.parse(fs.readFileSync(path.join(here, "resolver", "package.json"), "utf8"));

  // Every platform of a release, installed or not where this runs: npm
  // picks the one whose os and cpu match.
  launcher.version = o.version;
  launcher.optionalDependencies = {};
  for (const platform of Object.keys(PLATFORMS)) {
    launcher.optionalDependencies[`@multienv/resolver-${platform}`] = o.version;
  }
  const dir = path.join(o.out, "resolver");
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  for (const f of ["index.js", "index.d.ts", "README.md", "bin/resolver.js"]) {
    fs.copyFileSync(path.join(here, "resolver", f), path.join(dir, f));
  }
  fs.chmodSync(path.join(dir, "bin", "resolver.js"), 0o755);
  writeJSON(path.join(dir, "package.json"), launcher);

  for (const [platform, binary] of Object.entries(o.binaries)) {
    const [os, cpu] = platform.split("-");
    const exe = os === "win32" ? "resolver.exe" : "resolver";
    const pdir = path.join(o.out, `resolver-${platform}`);
    fs.mkdirSync(path.join(pdir, "bin"), { recursive: true });
    fs.copyFileSync(binary, path.join(pdir, "bin", exe));
    fs.chmodSync(path.join(pdir, "bin", exe), 0o755);
    writeJSON(path.join(pdir, "package.json"), {
      name: `@multienv/resolver-${platform}`,
      version: o.version,
      description: `The resolver binary of @multienv/resolver for ${PLATFORMS[platform]}.`,
      repository: launcher.repository,
      os: [os],
      cpu: [cpu],
      files: [`bin/${exe}`],
      preferUnplugged: true,
    });
    fs.writeFileSync(
      path.join(pdir, "README.md"),
      `# @multienv/resolver-${platform}\n\nThe \`resolver\` binary for ${PLATFORMS[platform]}, installed by [@multienv/resolver](https://www.npmjs.com/package/@multienv/resolver); use that package.\n`,
    );
  }
  process.stdout.write(`${dir}\n`);
}

main();
