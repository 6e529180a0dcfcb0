"use strict";
// detect() for JavaScript: runs `resolver current --json`, with the binary of
// the platform package npm installed (@multienv/resolver-<os>-<cpu>), or the
// one MULTIENV_RESOLVER_PATH names.

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");

// The variable that names the binary to run instead of the platform package's.
const PATH_VARIABLE = "MULTIENV_RESOLVER_PATH";

// The platforms a release has a package for, as process.platform-process.arch.
const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64", "win32-arm64"];

// ResolverError: resolver failed. message is what it printed on stderr,
// exitCode its status (1 the environment could not be resolved, 2 usage,
// 3 the configuration; 127 no binary).
class ResolverError extends Error {
  constructor(message, exitCode, stderr = "") {
    super(message);
    this.name = "ResolverError";
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

// findResolver returns the path of the resolver binary.
function findResolver(env = process.env) {
  const named = env[PATH_VARIABLE];
  if (named) {
    if (!fs.existsSync(named)) {
      throw new ResolverError(`${PATH_VARIABLE}=${JSON.stringify(named)} names no file`, 127);
    }
    return named;
  }
  const platform = `${process.platform}-${process.arch}`;
  if (!PLATFORMS.includes(platform)) {
    throw new ResolverError(`no resolver package for ${platform}; set ${PATH_VARIABLE} to a resolver binary`, 127);
  }
  const pkg = `@multienv/resolver-${platform}`;
  const exe = process.platform === "win32" ? "resolver.exe" : "resolver";
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new ResolverError(
      `${pkg} is not installed (optional dependencies omitted?); reinstall without --omit=optional, or set ${PATH_VARIABLE}`,
      127,
    );
  }
}

// detect resolves the environment, as `resolver [--config FILE] current
// --json` does, and returns its JSON object (id, env, instance, kind,
// runtime, group, pr, source, rule, config, values, and the CI facts).
// options: config (a file), env (the variables resolver reads; default
// process.env), cwd (where multienv.toml is found from), timeout (ms).
function detect(options = {}) {
  const env = options.env ?? process.env;
  const args = [];
  if (options.config !== undefined) {
    args.push("--config", options.config);
  }
  args.push("current", "--json");
  const bin = findResolver(env);
  let out;
  try {
    out = execFileSync(bin, args, {
      env,
      cwd: options.cwd,
      timeout: options.timeout ?? 30000,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
  } catch (e) {
    const stderr = typeof e.stderr === "string" ? e.stderr : "";
    const code = typeof e.status === "number" ? e.status : 1;
    throw new ResolverError(stderr.trim() || `resolver: ${e.message}`, code, stderr);
  }
  try {
    return JSON.parse(out);
  } catch (e) {
    throw new ResolverError(`resolver printed no JSON: ${e.message}`, 1);
  }
}

module.exports = { detect, findResolver, ResolverError, PATH_VARIABLE };
