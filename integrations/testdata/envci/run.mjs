// Runs env-ci on job environments: reads a JSON array of {name, env, cwd}
// on stdin and prints a JSON object {version, services, jobs}, where services lists
// the vendors env-ci covers (its services/ directory) and jobs holds, for
// each job in order, what env-ci says of it (or the error it threw). It
// runs nothing of its own but env-ci, which runs git in the job's cwd for
// some vendors.
//
// Usage: node run.mjs <directory holding node_modules/env-ci>
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(process.argv[2], "node_modules", "env-ci");
const { default: envCi } = await import(pathToFileURL(join(root, "index.js")).href);
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// A service's file name in camel case is its key (azure-pipelines.js:
// azurePipelines), as index.js imports it; git.js is the fallback, no CI.
const services = readdirSync(join(root, "services"))
  .filter((file) => file.endsWith(".js") && file !== "git.js")
  .map((file) => file.slice(0, -3).replace(/-(.)/g, (_, c) => c.toUpperCase()))
  .sort();

const text = (v) => (v === undefined || v === null ? "" : String(v));
const jobs = JSON.parse(readFileSync(0, "utf8")).map(({ name, env, cwd }) => {
  try {
    const r = envCi({ env, cwd });
    return {
      name,
      service: text(r.service),
      isPr: r.isPr === true,
      pr: text(r.pr),
      branch: text(r.branch),
      prBranch: text(r.prBranch),
      tag: text(r.tag),
      commit: text(r.commit),
      build: text(r.build),
      buildUrl: text(r.buildUrl),
      slug: text(r.slug),
    };
  } catch (err) {
    return { name, error: String(err && err.message ? err.message : err) };
  }
});
process.stdout.write(JSON.stringify({ version, services, jobs }));
