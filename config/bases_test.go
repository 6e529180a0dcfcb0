package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/multienv/multienv/internal/glob"
	"github.com/multienv/multienv/internal/testconf"
	"github.com/multienv/multienv/internal/text"
)

// platformBase is a platform team's base: five environments, production
// protected to CI on a tag, two rules that read variables only, and values.
// Line numbers matter to the tests below.
const platformBase = `version = 1

[[envs]]
name = "devops"
kind = "devops"

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true

[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci"], tag = ["v*"] }]

[[rules]]
name = "local"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"

[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["ENV_NAME"]

[values]
bucket = "acme-{env}"
replicas = 1
db = { host = "localhost", port = 5432 }
`

// releaseRule is a rule of the platform's that yields production for the
// push of a release tag only.
const releaseRule = `
[[rules]]
name = "release"
groups = ["ci"]
when = [{ tag = ["v*"], pr = false }]
default = "prd"
`

// repoTree writes files (slash paths relative to a new repository root,
// which holds .git) and returns the root.
func repoTree(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTree(t, root, files)
	return root
}

// writeTree writes files (slash paths relative to root) under root.
func writeTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// problemsOf returns the problems of a failed load, as FILE:LINE:COL: path: message
// with FILE relative to root.
func problemsOf(t *testing.T, root string, err error) []string {
	t.Helper()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v; want a *config.Error", err)
	}
	var out []string
	for _, p := range ce.Problems {
		rel, rerr := filepath.Rel(root, p.File)
		if rerr != nil {
			rel = p.File
		}
		p.File = filepath.ToSlash(rel)
		out = append(out, strings.ReplaceAll(p.String(), root+string(filepath.Separator), ""))
	}
	return out
}

func TestExtendsMerges(t *testing.T) {
	root := repoTree(t, map[string]string{
		"platform/multienv.toml": platformBase,
		"svc/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "sbx"
kind = "sandbox"
values = { replicas = 2 }

[[envs]]
name = "tst"
kind = "workload"

[[rules]]
name = "sandbox"
groups = ["app"]
default = "sbx"

[values]
queue = "jobs"
db = { port = 6432 }
`,
	})
	cfg, err := Load(filepath.Join(root, "svc", "multienv.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var envs []string
	for _, e := range cfg.Envs {
		envs = append(envs, e.Name+"@"+filepath.Base(filepath.Dir(e.Origin)))
	}
	if want := []string{"devops@platform", "sbx@platform", "prd@platform", "tst@svc"}; !slices.Equal(envs, want) {
		t.Errorf("envs = %v; want %v", envs, want)
	}
	var rules []string
	for _, r := range cfg.Rules {
		rules = append(rules, r.Name+"@"+filepath.Base(filepath.Dir(r.Origin)))
	}
	if want := []string{"local@platform", "deployed@platform", "sandbox@svc"}; !slices.Equal(rules, want) {
		t.Errorf("rules = %v; want %v", rules, want)
	}
	if !cfg.Envs[1].Instances {
		t.Error("sbx lost the instances the base gave it")
	}
	if len(cfg.Envs[2].Allow) != 1 {
		t.Errorf("prd has %d allow conditions; want the base's 1", len(cfg.Envs[2].Allow))
	}
	sbx := cfg.MergedValues(1)
	db := sbx["db"].(map[string]any)
	if sbx["replicas"] != int64(2) || sbx["queue"] != "jobs" || sbx["bucket"] != "acme-{env}" || db["port"] != int64(6432) || db["host"] != "localhost" {
		t.Errorf("sbx values = %v", sbx)
	}
	if got := filepath.Base(filepath.Dir(cfg.ValueFiles["db.port"])); got != "svc" {
		t.Errorf("db.port comes from %q; want the svc file", cfg.ValueFiles["db.port"])
	}
	if got := filepath.Base(filepath.Dir(cfg.ValueFiles["db.host"])); got != "platform" {
		t.Errorf("db.host comes from %q; want the platform file", cfg.ValueFiles["db.host"])
	}
	if len(cfg.Files) != 2 || cfg.Files[1] != cfg.File {
		t.Errorf("Files = %v; want the base then %s", cfg.Files, cfg.File)
	}
}

// TestExtendsRefusals: each way of weakening a base, and each base that
// cannot be used, is a problem at its line, in the file where it is.
func TestExtendsRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		load  string
		want  []string
	}{
		{
			name: "widen allow",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci", "local"] }]
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:10: envs[0].allow[0]: allow[0] of environment "prd" widens its allow (in platform/multienv.toml:12:3)`},
		},
		{
			name: "remove allow",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "prd"
kind = "production"
description = "no guard"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:4:3: envs[0]: environment "prd" is protected (allow, in platform/multienv.toml:12:3): a file that extends it may narrow the allow, never remove it`},
		},
		{
			name: "change kind",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "sbx"
kind = "workload"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:6:8: envs[0].kind: environment "sbx" is of kind sandbox in platform/multienv.toml:7:3: a file that extends it may not change its kind`},
		},
		{
			name: "rule made to yield production",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "local"
groups = ["local"]
default = "prd"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:11: rules[0].default: rule "local" (in platform/multienv.toml:17:3) does not yield the protected environment "prd"`},
		},
		{
			name: "rule that yields a protected environment made to yield production",
			files: map[string]string{"platform/multienv.toml": strings.Replace(platformBase, "instances = true\n", "instances = true\nallow = [{ groups = [\"local\"] }]\n", 1), "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "local"
groups = ["local"]
default = "prd"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:11: rules[0].default: rule "local" (in platform/multienv.toml:18:3) does not yield the protected environment "prd"`},
		},
		{
			name: "rule made to yield production once the file protects what it yielded",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true
allow = [{ groups = ["local"] }]

[[rules]]
name = "local"
groups = ["local"]
default = "prd"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:13:11: rules[0].default: rule "local" (in platform/multienv.toml:17:3) does not yield the protected environment "prd"`},
		},
		{
			name: "rule made to yield a protected sandbox's instances",
			files: map[string]string{"platform/multienv.toml": strings.Replace(platformBase, "instances = true\n", "instances = true\nallow = [{ groups = [\"ci\"] }]\n", 1), "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "deployed"
groups = ["ci", "app"]
default = "sbx-pr{pr_number}"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:11: rules[0].default: rule "deployed" (in platform/multienv.toml:24:3) does not yield the protected environment "sbx"`},
		},
		{
			name:  "a base named with a slash after it",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": "version = 1\nextends = [\"../platform/multienv.toml/\"]\n"},
			load:  "b/multienv.toml",
			want:  []string{`b/multienv.toml:2:12: extends[0]: base "../platform/multienv.toml/" ends as a directory's name does (/ or /.): name the base's file`},
		},
		{
			name:  "a base named with /. after it",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": "version = 1\nextends = [\"../platform/multienv.toml/.\"]\n"},
			load:  "b/multienv.toml",
			want:  []string{`b/multienv.toml:2:12: extends[0]: base "../platform/multienv.toml/." ends as a directory's name does (/ or /.): name the base's file`},
		},
		{
			name: "runtime of a base named before the one whose allow admits it",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/mine.toml": `version = 1

[[runtimes]]
name = "laptop"
group = "ci"
when = [{ set = ["HOME"] }]
tag = [{ compose = "v${SHLVL}" }]
`, "b/multienv.toml": `version = 1
extends = ["mine.toml", "../platform/multienv.toml"]
`},
			load: "b/multienv.toml",
			want: []string{`b/mine.toml:3:3: runtimes[0]: runtime "laptop" could satisfy the allow of protected environment "prd" (in platform/multienv.toml:12:3): a file that extends it may not add or replace a runtime its allow admits`},
		},
		{
			name: "rule made to read another variable",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["ENV_NAME", "GITHUB_REF_NAME"]
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:21: rules[0].from[1]: rule "deployed" (in platform/multienv.toml:23:3) does not read "GITHUB_REF_NAME": a file that extends it may not make it read another variable, which could name the protected environment "prd"`},
		},
		{
			name: "rule that reads a variable made to apply to more groups",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "local"
groups = ["local", "ci"]
from = ["USER_ENV_NAME"]
default = "sbx"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:6:10: rules[0].groups: rule "local" (in platform/multienv.toml:17:3) applies to fewer builds than this: a file that extends it may not make it apply to more while it can yield the protected environment "prd"`},
		},
		{
			name: "rule that yields production made to apply to another runtime",
			files: map[string]string{"platform/multienv.toml": platformBase + releaseRule, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "release"
groups = ["ci"]
runtimes = ["heroku_dyno"]
when = [{ tag = ["v*"], pr = false }]
default = "prd"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:12: rules[0].runtimes: rule "release" (in platform/multienv.toml:33:3) applies to fewer builds than this`},
		},
		{
			name: "rule that yields production without its when",
			files: map[string]string{"platform/multienv.toml": platformBase + releaseRule, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "release"
groups = ["ci"]
default = "prd"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:4:3: rules[0]: rule "release" (in platform/multienv.toml:33:3) applies to fewer builds than this: a file that extends it may not make it apply to more while it can yield the protected environment "prd" (by its default or its from)`},
		},
		{
			name: "rule that yields production with a wider when",
			files: map[string]string{"platform/multienv.toml": platformBase + releaseRule, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "release"
groups = ["ci"]
when = [{ tag = ["v*"], pr = false }, { pr = true }]
default = "prd"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:8: rules[0].when: rule "release" (in platform/multienv.toml:33:3) applies to fewer builds than this`},
		},
		{
			name: "rule made to read another variable, staging protected",
			files: map[string]string{"platform/multienv.toml": strings.Replace(platformBase, "allow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n", "", 1) +
				"\n[[envs]]\nname = \"stg\"\nkind = \"workload\"\nallow = [{ groups = [\"ci\"] }]\n", "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["DEPLOY_TO"]
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:9: rules[0].from[0]: rule "deployed" (in platform/multienv.toml:22:3) does not read "DEPLOY_TO": a file that extends it may not make it read another variable, which could name the protected environment "stg"`},
		},
		{
			name: "rule with a when too large to compare",
			files: map[string]string{"platform/multienv.toml": platformBase + strings.Replace(releaseRule, `when = [{ tag = ["v*"], pr = false }]`,
				"when = ["+strings.Repeat(`{ tag = ["v*"] }, `, 800)+"]", 1), "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "release"
groups = ["ci"]
when = [` + strings.Repeat(`{ tag = ["v1"] }, `, 800) + `]
default = "prd"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:7:8: rules[0].when: rule "release" (in platform/multienv.toml:33:3): its when is too large to compare with its base's: 1600 alternatives against 1600`},
		},
		{
			name: "value of another type",
			files: map[string]string{"platform/multienv.toml": platformBase, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[values]
replicas = "two"
`},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:5:12: values.replicas: expected an integer, as a base declares "replicas", found `},
		},
		{
			name:  "missing base",
			files: map[string]string{"b/multienv.toml": "version = 1\nextends = [\"../platform/multienv.toml\"]\n"},
			load:  "b/multienv.toml",
			want:  []string{`b/multienv.toml:2:12: extends[0]: base "../platform/multienv.toml" cannot be read`},
		},
		{
			name: "cycle",
			files: map[string]string{
				"a.toml": "version = 1\nextends = [\"b.toml\"]\n",
				"b.toml": "version = 1\n\nextends = [\"a.toml\"]\n",
			},
			load: "a.toml",
			want: []string{`b.toml:3:12: extends[0]: base "a.toml" makes a cycle`},
		},
		{
			name:  "outside the repository",
			files: map[string]string{"b/multienv.toml": "version = 1\nextends = [\"../../outside.toml\"]\n"},
			load:  "b/multienv.toml",
			want:  []string{`b/multienv.toml:2:12: extends[0]: base "../../outside.toml" `},
		},
		{
			name:  "absolute",
			files: map[string]string{"b/multienv.toml": "version = 1\nextends = [\"/etc/passwd\"]\n"},
			load:  "b/multienv.toml",
			want:  []string{`b/multienv.toml:2:12: extends[0]: base "/etc/passwd" is an absolute path`},
		},
		{
			name: "problems in the base stay in the base",
			files: map[string]string{
				"platform/multienv.toml": strings.Replace(platformBase, `name = "deployed"`, `name = "deployed"`+"\nruntimes = [\"githb_actions\"]", 1),
				"b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "sbx"
kind = "sandbox"
values = { replica = 3 }
`},
			load: "b/multienv.toml",
			want: []string{
				`b/multienv.toml:7:12: envs[0].values.replica: "replica" is not declared in [values]; did you mean "replicas"?`,
				`platform/multienv.toml:25:13: rules[1].runtimes[0]: unknown runtime "githb_actions"`,
			},
		},
		{
			// Three files of 400,000 bytes: each may be read alone, but
			// not merged in one configuration of more than 1 MiB.
			name: "more than 1 MiB in all",
			files: map[string]string{
				"b/one.toml":      "version = 1\n" + strings.Repeat("#", 399_987) + "\n",
				"b/two.toml":      "version = 1\n" + strings.Repeat("#", 399_987) + "\n",
				"b/multienv.toml": "version = 1\nextends = [\"one.toml\", \"two.toml\"]\n" + strings.Repeat("#", 399_952) + "\n",
			},
			load: "b/multienv.toml",
			want: []string{`b/multienv.toml:2:24: extends[1]: base "two.toml" is too large: with it, the files merged hold 1200000 bytes, and a configuration is merged from at most 1048576 in all, as one file may hold`},
		},
		{
			name: "a schema problem in the base",
			files: map[string]string{
				"platform/multienv.toml": "version = 1\nenvz = []\n",
				"b/multienv.toml":        "version = 1\nextends = [\"../platform/multienv.toml\"]\n",
			},
			load: "b/multienv.toml",
			want: []string{`platform/multienv.toml:2:1: envz: unknown key "envz"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := repoTree(t, tc.files)
			cfg, err := Load(filepath.Join(root, filepath.FromSlash(tc.load)))
			if err == nil {
				t.Fatalf("loaded %d environments; want an error", len(cfg.Envs))
			}
			wantPrefixes(t, problemsOf(t, root, err), tc.want)
		})
	}
}

// wantPrefixes checks that got holds as many problems as want, each
// starting with its want.
func wantPrefixes(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d problems:\n  %s\nwant %d starting:\n  %s", len(got), strings.Join(got, "\n  "), len(want), strings.Join(want, "\n  "))
	}
	for i := range got {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}

// TestNarrows: the table of what narrows an allow condition, written by
// hand from the contract's rule (the same keys, fewer alternatives, maybe
// more keys).
func TestNarrows(t *testing.T) {
	base := testconf.File + `allow = [{ groups = ["ci"], tag = ["v*", "release-*"], equals = { DEPLOY = ["yes", "y"] }, not_equals = { ACTOR = "bot" } }]
[[rules]]
name = "r"
groups = ["ci"]
from = ["ENV_NAME"]
`
	for _, tc := range []struct {
		allow string
		ok    bool
	}{
		{`{ groups = ["ci"], tag = ["v*", "release-*"], equals = { DEPLOY = ["yes", "y"] }, not_equals = { ACTOR = "bot" } }`, true},
		{`{ groups = ["ci"], tag = ["v*"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = ["bot", "intern"] } }`, true},
		{`{ groups = ["ci"], tag = ["v*"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" }, pr = false, runtimes = ["github_action"] }`, true},
		{`{ groups = ["ci", "local"], tag = ["v*"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" } }`, false},
		{`{ groups = ["ci"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" } }`, false},
		{`{ groups = ["ci"], tag = ["*"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" } }`, false},
		{`{ groups = ["ci"], tag = ["v*"], equals = { DEPLOY = ["yes", "sure"] }, not_equals = { ACTOR = "bot" } }`, false},
		{`{ groups = ["ci"], tag = ["v*"], equals = { DEPLOY = "yes" } }`, false},
		{`{ groups = ["ci"], tag = ["v*"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "intern" } }`, false},
		// A pattern is narrower when every value it matches, the base's
		// matches too: v1.* and v1 under v*, release-9.* under release-*;
		// not v1/* (* stops at a slash) nor v** (** does not).
		{`{ groups = ["ci"], tag = ["v1.*", "release-9.*", "v1"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" } }`, true},
		{`{ groups = ["ci"], tag = ["v1/*"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" } }`, false},
		{`{ groups = ["ci"], tag = ["v**"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" } }`, false},
		{`{ groups = ["ci"], tag = ["x*"], equals = { DEPLOY = "yes" }, not_equals = { ACTOR = "bot" } }`, false},
	} {
		t.Run(tc.allow, func(t *testing.T) { checkNarrows(t, base, tc.allow, tc.ok) })
	}
}

// TestNarrowsFactsAndForced: an extending file may not drop or widen a
// base's condition on the event or the fork, nor let a forced runtime in
// where the base does not (CONTRACT §12: an allow is narrowed, never
// widened). The cases are written by hand.
func TestNarrowsFactsAndForced(t *testing.T) {
	for _, tc := range []struct {
		base, allow string
		ok          bool
	}{
		{`{ groups = ["ci"], event = ["push", "tag"], fork = false }`, `{ groups = ["ci"], event = ["push", "tag"], fork = false }`, true},
		{`{ groups = ["ci"], event = ["push", "tag"], fork = false }`, `{ groups = ["ci"], event = ["push"], fork = false }`, true},
		{`{ groups = ["ci"], event = ["push", "tag"] }`, `{ groups = ["ci"], event = ["tag"], fork = false }`, true},
		{`{ groups = ["ci"], event = ["push", "tag"], fork = false }`, `{ groups = ["ci"], event = ["push", "tag"] }`, false},
		{`{ groups = ["ci"], event = ["push", "tag"], fork = false }`, `{ groups = ["ci"], fork = false }`, false},
		{`{ groups = ["ci"], event = ["push", "tag"], fork = false }`, `{ groups = ["ci"], event = ["push", "schedule"], fork = false }`, false},
		{`{ groups = ["ci"], event = ["push", "tag"], fork = false }`, `{ groups = ["ci"], event = ["push"], fork = true }`, false},
		{`{ groups = ["ci"] }`, `{ groups = ["ci"], forced = true }`, false},
		{`{ groups = ["ci"], forced = true }`, `{ groups = ["ci"], forced = true }`, true},
		{`{ groups = ["ci"], forced = true }`, `{ groups = ["ci"] }`, true},
	} {
		t.Run(tc.base+" then "+tc.allow, func(t *testing.T) {
			base := testconf.File + "allow = [" + tc.base + "]\n[[rules]]\nname = \"r\"\ngroups = [\"ci\"]\nfrom = [\"ENV_NAME\"]\n"
			checkNarrows(t, base, tc.allow, tc.ok)
		})
	}
}

// TestWithin: whether every value pattern a matches, b matches, against
// glob's rules (* stops at a slash, ** does not, \ escapes), by hand.
func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"main", "main", true},
		{"v1*", "v*", true},
		{"v1.2.3", "v*", true},
		{"v*", "v1*", false},
		{"v1/x", "v*", false},
		{"v1**", "v*", false},
		{`v\*`, "v*", false}, // a literal star: within, but the text cannot tell; refused
		{"release/**", "release/**", true},
		{"release/x/*", "release/**", true},
		{"release/**", "release/*", false},
		{"hotfix/*", "release/**", false},
		{"anything/at/all", "**", true},
		{"a", "*", true},
		{`x\*y`, `x\**`, true}, // after the literal x*, ** takes anything
		{"x*", `x\*`, false},
	} {
		if got := within(tc.a, tc.b); got != tc.want {
			t.Errorf("within(%q, %q) = %v; want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// checkNarrows loads a file that extends base and gives prd the allow
// allow: ok says it loads, else it is refused as wider.
func checkNarrows(t *testing.T, base, allow string, ok bool) {
	t.Helper()
	root := repoTree(t, map[string]string{"base.toml": base,
		"svc.toml": "version = 1\nextends = [\"base.toml\"]\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [" + allow + "]\n"})
	_, err := Load(filepath.Join(root, "svc.toml"))
	if ok && err != nil {
		t.Errorf("refused: %v", err)
	}
	if !ok && (err == nil || !strings.Contains(err.Error(), "widens its allow")) {
		t.Errorf("got %v; want the allow refused as wider", err)
	}
}

func TestGoBases(t *testing.T) {
	svc := []byte("version = 1\n[[envs]]\nname = \"stg\"\nkind = \"workload\"\n[values]\nqueue = \"q\"\n")
	cfg, err := Parse("svc.toml", svc, Base{Name: "platform.toml", Data: []byte(platformBase)})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Envs) != 4 || cfg.Envs[3].Name != "stg" || cfg.Envs[0].Origin != "platform.toml" || cfg.Envs[3].Origin != "svc.toml" {
		t.Errorf("envs = %+v", cfg.Envs)
	}
	if !slices.Equal(cfg.Files, []string{"platform.toml", "svc.toml"}) {
		t.Errorf("Files = %v", cfg.Files)
	}
	_, err = Parse("svc.toml", []byte("version = 1\n[[envs]]\nname = \"sbx\"\nkind = \"workload\"\n"), Base{Name: "platform.toml", Data: []byte(platformBase)})
	if err == nil || !strings.HasPrefix(err.Error(), "svc.toml:4:8: envs[0].kind: ") {
		t.Errorf("got %v; want the kind refused at svc.toml:4:8", err)
	}
	_, err = Parse("svc.toml", svc, Base{Name: "platform.toml", Data: []byte("version = 1\nextends = [\"x.toml\"]\n")})
	if err == nil || !strings.HasPrefix(err.Error(), "platform.toml:2:1: extends: a base given as bytes") {
		t.Errorf("got %v; want a bytes base's extends refused", err)
	}
}

// A link inside the repository to a file outside it is outside: a base is
// confined by where it really is.
func TestExtendsLinkOutside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside.toml")
	if err := os.WriteFile(outside, []byte(platformBase), 0o644); err != nil {
		t.Fatal(err)
	}
	root := repoTree(t, map[string]string{"svc.toml": "version = 1\nextends = [\"link.toml\"]\n"})
	if err := os.Symlink(outside, filepath.Join(root, "link.toml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := Load(filepath.Join(root, "svc.toml"))
	got := problemsOf(t, root, err)
	if len(got) != 1 || !strings.HasPrefix(got[0], `svc.toml:2:12: extends[0]: base "link.toml" is outside `) {
		t.Errorf("got %q; want the link refused as outside the repository", got)
	}
}

// A base named twice, directly and through another base, is merged once.
func TestExtendsDiamond(t *testing.T) {
	root := repoTree(t, map[string]string{
		"platform.toml": platformBase,
		"team.toml":     "version = 1\nextends = [\"platform.toml\"]\n[values]\nteam = \"x\"\n",
		"svc.toml":      "version = 1\nextends = [\"platform.toml\", \"team.toml\"]\n",
	})
	cfg, err := Load(filepath.Join(root, "svc.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Files) != 3 || len(cfg.Envs) != 3 || cfg.Values["team"] != "x" {
		t.Errorf("files %v, %d envs, values %v; want 3 files, the base's 3 envs and the team's value", cfg.Files, len(cfg.Envs), cfg.Values)
	}
}

// A warning found while a base is read stays in the result, at the base.
func TestExtendsKeepsWarnings(t *testing.T) {
	base := strings.Replace(platformBase, `allow = [{ groups = ["ci"], tag = ["v*"] }]`, `allow = [{ groups = ["ci"], tag = ["v[0-9]*"] }]`, 1)
	root := repoTree(t, map[string]string{"base.toml": base, "svc.toml": "version = 1\nextends = [\"base.toml\"]\n"})
	cfg, err := Load(filepath.Join(root, "svc.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 || cfg.Warnings[0].File != filepath.Join(root, "base.toml") || cfg.Warnings[0].Line != 15 {
		t.Errorf("warnings %v; want the pattern's, at base.toml:15", cfg.Warnings)
	}
}

// Bytes given with the name of a file that does not exist extend bases
// relative to where the name places them.
func TestExtendsFromBytes(t *testing.T) {
	root := repoTree(t, map[string]string{"platform/multienv.toml": platformBase})
	cfg, err := Parse(filepath.Join(root, "svc", "multienv.toml"), []byte("version = 1\nextends = [\"../platform/multienv.toml\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Envs) != 3 || len(cfg.Files) != 2 {
		t.Errorf("%d envs from %v; want the base's 3", len(cfg.Envs), cfg.Files)
	}
}

// Bytes whose name names no file have no directory for their bases: "" and
// "." are the working directory itself, not a file in it.
func TestExtendsFromBytesNamingNoFile(t *testing.T) {
	root := repoTree(t, map[string]string{"platform/multienv.toml": platformBase, "svc/.keep": ""})
	for _, name := range []string{"", ".", "svc/", "..", filepath.Join(root, "svc")} {
		t.Run(name, func(t *testing.T) {
			t.Chdir(filepath.Join(root, "svc"))
			_, err := Parse(name, []byte("version = 1\nextends = [\"../platform/multienv.toml\"]\n"))
			want := "cannot place the bases: " + text.Quote(name) + " names no file" // a long name is cut in the message
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Parse(%q): %v; want %q", name, err, want)
			}
		})
	}
}

func TestExtendsUnreadable(t *testing.T) {
	root := repoTree(t, map[string]string{"svc.toml": "version = 1\nextends = [\"dir\", \"nowhere.toml\"]\n"})
	if err := os.Mkdir(filepath.Join(root, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Load(filepath.Join(root, "svc.toml"))
	got := problemsOf(t, root, err)
	want := []string{
		`svc.toml:2:12: extends[0]: base "dir" cannot be read: not a regular file`,
		`svc.toml:2:19: extends[1]: base "nowhere.toml" cannot be read: no such file or directory`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Within one file, a name declared twice is a duplicate, as without bases.
func TestExtendsDuplicates(t *testing.T) {
	root := repoTree(t, map[string]string{"platform/multienv.toml": platformBase, "svc.toml": `version = 1
extends = ["platform/multienv.toml"]
[[envs]]
name = "tst"
kind = "workload"
[[envs]]
name = "tst"
kind = "workload"
[[rules]]
name = "r"
groups = ["app"]
default = "tst"
[[rules]]
name = "r"
groups = ["app"]
default = "tst"
`})
	_, err := Load(filepath.Join(root, "svc.toml"))
	got := problemsOf(t, root, err)
	want := []string{
		`svc.toml:7:8: envs[1].name: duplicate environment name "tst" (first declared as envs[0])`,
		`svc.toml:14:8: rules[1].name: duplicate rule name "r" (first declared as rules[0])`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// laptopCI is a runtime that holds on any laptop (HOME is set there) and
// calls itself CI.
const laptopCI = `
[[runtimes]]
name = "laptop_ci"
group = "ci"
when = [{ set = ["HOME"] }]
`

// TestExtendsRuntimesUnderAllow: a runtime an extending file adds or
// replaces may not be one a base's protected environment's allow admits by
// its group and name (CONTRACT §12: never weaken), since the runtime's own
// sources supply the allow's other facts. The cases are written by hand;
// an empty want says the file loads.
func TestExtendsRuntimesUnderAllow(t *testing.T) {
	const svcHead = "version = 1\nextends = [\"platform/multienv.toml\"]\n"
	noAllow := strings.Replace(platformBase, "allow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n", "", 1)
	for _, tc := range []struct {
		name, base, svc string
		want            []string
	}{
		{
			name: "a runtime added in an allowed group",
			base: platformBase, svc: svcHead + laptopCI,
			want: []string{`svc.toml:4:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "prd" (in platform/multienv.toml:12:3): a file that extends it may not add or replace a runtime its allow admits; declare the runtime in the base instead`},
		},
		{
			name: "a base's runtime replaced with a looser when",
			base: platformBase + "\n[[runtimes]]\nname = \"deployer\"\ngroup = \"ci\"\nwhen = [{ set = [\"DEPLOYER_TOKEN\"] }]\n",
			svc:  svcHead + "\n[[runtimes]]\nname = \"deployer\"\ngroup = \"ci\"\nwhen = [{ set = [\"HOME\"] }]\n",
			want: []string{`svc.toml:4:3: runtimes[0]: runtime "deployer" could satisfy the allow of protected environment "prd" (in platform/multienv.toml:12:3)`},
		},
		{
			name: "a catalog runtime replaced by name",
			base: platformBase,
			svc:  svcHead + "\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[runtimes]]\nname = \"github_action\"\ngroup = \"ci\"\nwhen = [{ set = [\"HOME\"] }]\n",
			want: []string{`svc.toml:8:3: runtimes[0]: runtime "github_action" could satisfy the allow of protected environment "prd" (in platform/multienv.toml:12:3)`},
		},
		{
			name: "a runtime the allow names, after the file narrows it to that runtime",
			base: platformBase,
			svc:  svcHead + "\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"], runtimes = [\"laptop_ci\"], tag = [\"v*\"] }]\n" + laptopCI,
			want: []string{`svc.toml:9:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "prd" (in platform/multienv.toml:12:3)`},
		},
		{
			name: "an allow that names no groups and no runtimes admits every group",
			base: strings.Replace(platformBase, `groups = ["ci"], tag`, `tag`, 1),
			svc:  svcHead + strings.Replace(laptopCI, `group = "ci"`, `group = "local"`, 1),
			want: []string{`svc.toml:4:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "prd" (in platform/multienv.toml:12:3)`},
		},
		{
			name: "an allow that names the runtime and no groups",
			base: strings.Replace(platformBase, `groups = ["ci"], tag`, `runtimes = ["laptop_ci"], tag`, 1),
			svc:  svcHead + laptopCI,
			want: []string{`svc.toml:4:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "prd" (in platform/multienv.toml:12:3)`},
		},
		{
			name: "the first of two protected environments is named",
			base: strings.Replace(platformBase, "instances = true\n", "instances = true\nallow = [{ groups = [\"app\"] }, { groups = [\"ci\", \"ci\"], runtimes = [\"github_action\", \"laptop_ci\"] }]\n", 1),
			svc:  svcHead + laptopCI,
			want: []string{`svc.toml:4:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "sbx" (in platform/multienv.toml:7:3)`},
		},
		{
			name: "the first of two protected environments, admitting by group, is named before one that names the runtime",
			base: strings.Replace(strings.Replace(platformBase, "instances = true\n", "instances = true\nallow = [{ groups = [\"ci\"] }]\n", 1),
				`groups = ["ci"], tag`, `runtimes = ["laptop_ci"], tag`, 1),
			svc:  svcHead + laptopCI,
			want: []string{`svc.toml:4:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "sbx" (in platform/multienv.toml:7:3)`},
		},
		{
			name: "of two protected environments with the same condition, the first is named",
			base: strings.Replace(platformBase, "instances = true\n", "instances = true\nallow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n", 1),
			svc:  svcHead + laptopCI,
			want: []string{`svc.toml:4:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "sbx" (in platform/multienv.toml:7:3)`},
		},
		{
			name: "an allow that names the runtime in another group",
			base: strings.Replace(platformBase, `groups = ["ci"], tag`, `groups = ["app"], runtimes = ["laptop_ci"], tag`, 1),
			svc:  svcHead + laptopCI,
		},
		{
			name: "a runtime of a group the allow does not admit",
			base: platformBase, svc: svcHead + strings.Replace(laptopCI, `group = "ci"`, `group = "local"`, 1),
		},
		{
			name: "a runtime the allow does not name",
			base: strings.Replace(platformBase, `groups = ["ci"], tag`, `groups = ["ci"], runtimes = ["github_action"], tag`, 1),
			svc:  svcHead + laptopCI,
		},
		{
			name: "no protected environment",
			base: noAllow, svc: svcHead + laptopCI,
		},
		{
			name: "the allow declared in the same file",
			base: noAllow,
			svc:  svcHead + "\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n" + laptopCI,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := repoTree(t, map[string]string{"platform/multienv.toml": tc.base, "svc.toml": tc.svc})
			cfg, err := Load(filepath.Join(root, "svc.toml"))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if !slices.ContainsFunc(cfg.Runtimes, func(r Runtime) bool { return r.Name == "laptop_ci" }) {
					t.Errorf("runtimes lack the file's laptop_ci")
				}
				return
			}
			if err == nil {
				t.Fatalf("loaded %d runtimes; want the runtime refused", len(cfg.Runtimes))
			}
			wantPrefixes(t, problemsOf(t, root, err), tc.want)
		})
	}
}

// A base given in Go guards as a file does; the runtime is refused in the
// file that adds it.
func TestGoBaseRuntimeUnderAllow(t *testing.T) {
	_, err := Parse("svc.toml", []byte("version = 1\n"+laptopCI), Base{Name: "platform.toml", Data: []byte(platformBase)})
	want := `svc.toml:3:3: runtimes[0]: runtime "laptop_ci" could satisfy the allow of protected environment "prd" (in platform.toml:12:3): `
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v; want %s...", err, want)
	}
}

// Outside any repository the bases must be beside or below the file, and
// the refusal says so; inside one, it names the repository root.
func TestExtendsOutsideMessages(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if root, err := RepositoryRoot(dir); err != nil || root != "" {
		t.Skipf("the temporary directory %s is inside a repository (%q, %v)", dir, root, err)
	}
	writeTree(t, dir, map[string]string{"base.toml": platformBase, "a/multienv.toml": "version = 1\nextends = [\"../base.toml\"]\n", "a/beside.toml": "version = 1\nextends = [\"base.toml\"]\n", "a/base.toml": platformBase})
	if _, err := Load(filepath.Join(dir, "a", "beside.toml")); err != nil {
		t.Errorf("a base beside the file is refused: %v", err)
	}
	// problemsOf cuts dir from paths: "outside a" is outside dir/a.
	for _, step := range []struct {
		git  bool // a/ is made a repository first
		want string
	}{
		{false, `a/multienv.toml:2:12: extends[0]: base "../base.toml" is outside a, the file's directory (the file is in no repository, so its bases must be beside or below it)`},
		{true, `a/multienv.toml:2:12: extends[0]: base "../base.toml" is outside a, the repository root (the nearest directory holding .git): a base must be inside it`},
	} {
		if step.git {
			if err := os.Mkdir(filepath.Join(dir, "a", ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Load(filepath.Join(dir, "a", "multienv.toml"))
		if got := problemsOf(t, dir, err); len(got) != 1 || got[0] != step.want {
			t.Errorf("got %q; want %q", got, step.want)
		}
	}
}

// A file that turns the catalog back on, which its base turned off, brings
// in runtimes the base never declared: refused where the base's allow
// admits one of them, as a runtime the file declared would be.
func TestExtendsCatalogUnderAllow(t *testing.T) {
	own := "\n[[runtimes]]\nname = \"myci\"\ngroup = \"ci\"\nwhen = [{ set = [\"MYCI\"] }]\n\n[[runtimes]]\nname = \"laptop\"\ngroup = \"local\"\n"
	base := "version = 1\ncatalog = false\n" + strings.TrimPrefix(platformBase, "version = 1\n") + own
	svc := "version = 1\nextends = [\"platform/multienv.toml\"]\ncatalog = true\n"
	for _, tc := range []struct {
		name, base, want string
	}{
		{"an allow of group ci admits the catalog's ci", base,
			`svc.toml:3:1: catalog: catalog = true brings back the built-in runtimes a base turned off, and runtime "aws_codebuild" of them could satisfy the allow of protected environment "prd" (in platform/multienv.toml:13:3): a file that extends it may not; declare the runtimes it needs in the base instead`},
		// Admitted by no catalog runtime: only the base's own fallback,
		// no longer last, is a problem.
		{"an allow that names the base's own runtime only", strings.Replace(base, `groups = ["ci"], tag`, `runtimes = ["myci"], tag`, 1),
			`platform/multienv.toml:39:3: runtimes[1]: runtime "laptop" has no ` + "`when`"},
		{"a base that keeps the catalog", strings.Replace(strings.Replace(base, "catalog = false\n", "", 1), "\n[[runtimes]]\nname = \"laptop\"\ngroup = \"local\"\n", "", 1), ""},
	} {
		t.Run(tc.name, func(t *testing.T) { loadService(t, tc.base, svc, tc.want) })
	}
}

// The files merged may hold MaxFileSize bytes in all, and not one more.
func TestExtendsSizeInAll(t *testing.T) {
	head := "version = 1\nextends = [\"one.toml\"]\n"
	one := testconf.File // a whole configuration, which the extending file adds nothing to
	for _, extra := range []int{0, 1} {
		pad := MaxFileSize - len(one) - len(head) - len("\n") + extra - 1 // the comment's # and its line end
		root := repoTree(t, map[string]string{"one.toml": one, "multienv.toml": head + "#" + strings.Repeat("x", pad) + "\n"})
		_, err := Load(filepath.Join(root, "multienv.toml"))
		if refused := err != nil && strings.Contains(err.Error(), "is too large"); refused != (extra == 1) {
			t.Errorf("%d bytes in all: %v", MaxFileSize+extra, err)
		}
	}
}

// A base that turns forcing off (runtime_variable = "") keeps it off where
// a protected environment admits a forced runtime.
func TestExtendsForcingUnderAllow(t *testing.T) {
	base := func(allow string) string {
		return "version = 1\nruntime_variable = \"\"\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [" + allow + "]\n\n[[rules]]\nname = \"any\"\ngroups = [\"local\", \"ci\", \"app\"]\nfrom = [\"ENV_NAME\"]\ndefault = \"sbx\"\n"
	}
	svc := "version = 1\nextends = [\"platform/multienv.toml\"]\nruntime_variable = \"USER_RUNTIME_NAME\"\n"
	for _, tc := range []struct {
		name, base, want string
	}{
		{"an allow that admits a forced runtime", base(`{ runtimes = ["aws_lambda"], forced = true }`),
			`svc.toml:3:1: runtime_variable: runtime_variable "USER_RUNTIME_NAME" turns back on the forcing of runtimes a base turned off, and a forced runtime could satisfy the allow of protected environment "prd" (in platform/multienv.toml:8:3): a file that extends it may not; name the runtime variable in the base instead`},
		{"an allow that admits no forced runtime", base(`{ runtimes = ["aws_lambda"] }`), ""},
		{"a base that keeps forcing on", strings.Replace(base(`{ runtimes = ["aws_lambda"], forced = true }`), "runtime_variable = \"\"\n", "", 1), ""},
	} {
		t.Run(tc.name, func(t *testing.T) { loadService(t, tc.base, svc, tc.want) })
	}
}

// Comparing an allow with its base's is bounded: 500 conditions of two
// alternatives each against as many are 1000 × 1000 = maxNarrowing pairs,
// and one more condition is refused.
func TestNarrowingBounded(t *testing.T) {
	allow := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "  { tag = [\"v%d\"] },\n", i)
		}
		return "version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [\n" + b.String() + "]\n"
	}
	for _, tc := range []struct {
		n    int
		want string
	}{
		{500, ""},
		{501, `svc.toml:11:1: envs[1].allow: allow of environment "prd" is too large to compare with its base's (in platform/multienv.toml:7:3): 1002 alternatives against 1002, and the allows of a configuration are compared in at most 1000000 pairs of alternatives in all; repeat the base's allows with fewer conditions and alternatives`},
	} {
		base := allow(tc.n) + "\n[[rules]]\nname = \"local\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n"
		svc := strings.Replace(allow(tc.n), "version = 1\n", "version = 1\nextends = [\"platform/multienv.toml\"]\n", 1)
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) { loadService(t, base, svc, tc.want) })
	}
}

// loadService loads svc.toml, which extends platform/multienv.toml (base):
// it must load when want is "", else fail with want as its first problem.
func loadService(t *testing.T, base, svc, want string) {
	t.Helper()
	root := repoTree(t, map[string]string{"platform/multienv.toml": base, "svc.toml": svc})
	_, err := Load(filepath.Join(root, "svc.toml"))
	switch {
	case want == "" && err != nil:
		t.Fatalf("refused: %v", err)
	case want != "" && err == nil:
		t.Fatal("loaded; want it refused")
	case want != "":
		wantPrefixes(t, problemsOf(t, root, err), []string{want})
	}
}

// The bound holds for the whole configuration: two environments of 354
// conditions each are 708 × 708 pairs twice, over maxNarrowing in all, and
// the second is refused.
func TestNarrowingBoundedInAll(t *testing.T) {
	var b strings.Builder
	for i := range 354 {
		fmt.Fprintf(&b, "  { tag = [\"v%d\"] },\n", i)
	}
	envs := "\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"stg\"\nkind = \"workload\"\nallow = [\n" + b.String() + "]\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [\n" + b.String() + "]\n"
	base := "version = 1\n" + envs + "\n[[rules]]\nname = \"local\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n"
	svc := "version = 1\nextends = [\"platform/multienv.toml\"]\n" + envs
	loadService(t, base, svc, `svc.toml:371:1: envs[2].allow: allow of environment "prd" is too large to compare with its base's (in platform/multienv.toml:367:3): 708 alternatives against 708`)
}

// alternatives counts a condition, and each alternative of each of its keys.
func TestAlternatives(t *testing.T) {
	c := Condition{Groups: []Group{GroupCI}, Runtimes: []string{"a", "b"}, Events: []string{"push"},
		Branch: make([]*glob.Pattern, 3), BaseBranch: make([]*glob.Pattern, 1), Tag: make([]*glob.Pattern, 2),
		Signal: Signal{{Op: OpSet, Name: "X"}, {Op: OpEquals, Name: "Y", Values: []string{"1", "2"}}}}
	// 1 + groups 1 + runtimes 2 + events 1 + branch 3 + base 1 + tag 2 + (1) + (1 + 2)
	if got := alternatives([]Condition{c, {}}); got != 15+1 {
		t.Errorf("alternatives = %d; want 16", got)
	}
}

// TestExtendsNarrowsRules loads files that re-declare a base's rules
// narrower: fewer groups, fewer variables, a narrower when; each is the
// file's rule in the base's place.
func TestExtendsNarrowsRules(t *testing.T) {
	root := repoTree(t, map[string]string{"platform/multienv.toml": platformBase + releaseRule, "b/multienv.toml": `version = 1
extends = ["../platform/multienv.toml"]

[[rules]]
name = "local"
groups = ["local"]
default = "sbx"

[[rules]]
name = "deployed"
groups = ["ci"]
from = ["ENV_NAME"]

[[rules]]
name = "release"
runtimes = ["github_action"]
when = [{ tag = ["v1.*"], pr = false, branch = ["main"] }]
default = "prd"
`})
	cfg, err := Load(filepath.Join(root, "b", "multienv.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range cfg.Rules {
		got = append(got, fmt.Sprintf("%s %v %v %v %d", r.Name, r.Groups, r.Runtimes, r.From, len(r.When)))
	}
	want := []string{"local [local] [] [] 0", "deployed [ci] [] [ENV_NAME] 0", "release [] [github_action] [] 1"}
	if !slices.Equal(got, want) {
		t.Errorf("rules %q, want %q", got, want)
	}
}

// TestExtendsRuntimesOfItsBase loads a platform file whose allow admits the
// runtimes of a base it extends itself: it chose them.
func TestExtendsRuntimesOfItsBase(t *testing.T) {
	root := repoTree(t, map[string]string{
		"platform/runtimes.toml": "version = 1\n\n[[runtimes]]\nname = \"builder\"\ngroup = \"ci\"\nwhen = [{ set = [\"BUILDER\"] }]\n",
		"platform/multienv.toml": strings.Replace(platformBase, "version = 1\n", "version = 1\nextends = [\"runtimes.toml\"]\n", 1),
		"b/multienv.toml":        "version = 1\nextends = [\"../platform/multienv.toml\"]\n",
	})
	cfg, err := Load(filepath.Join(root, "b", "multienv.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Runtimes[0].Name != "builder" {
		t.Errorf("first runtime %q, want builder", cfg.Runtimes[0].Name)
	}
}

// TestExtendsWideningMemory checks, against the contract's bound of 256 MiB
// for a file of 1 MiB, a file of 10,000 allow alternatives that each widen
// a base's allow of one value of 600,000 bytes: each problem quotes the
// base's allow, which is worded once, not once a problem.
func TestExtendsWideningMemory(t *testing.T) {
	base := "version = 1\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n" +
		"allow = [{ equals = { X = [\"" + strings.Repeat("a", 600_000) + "\"] } }]\n" +
		"[[rules]]\nname = \"l\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n"
	file := "version = 1\nextends = [\"p/multienv.toml\"]\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [\n" +
		strings.Repeat("{ groups = [\"ci\"] },\n", 10_000) + "]\n"
	root := repoTree(t, map[string]string{"p/multienv.toml": base, "multienv.toml": file})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Load(filepath.Join(root, "multienv.toml"))
	runtime.ReadMemStats(&after)
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 10_000 {
		t.Fatalf("got %v, want 10,000 problems", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<20 {
		t.Errorf("loading allocated %d MiB, over the 256 MiB a file of 1 MiB may take", n>>20)
	}
}

// TestExtendsGuardsOnlyBases loads files that change a rule or add a
// runtime where no file they extend protects what it could reach: the file
// that protects it, a sibling that keeps its base's rule, and a diamond
// whose files each extend the one that declares the runtime.
func TestExtendsGuardsOnlyBases(t *testing.T) {
	unprotected := strings.Replace(platformBase, "allow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n", "", 1)
	changed := "version = 1\nextends = [\"../p/multienv.toml\"]\n\n[[rules]]\nname = \"deployed\"\ngroups = [\"ci\"]\ndefault = \"sbx\"\n"
	kept := "version = 1\nextends = [\"../p/multienv.toml\"]\n\n[[rules]]\nname = \"deployed\"\ngroups = [\"ci\", \"app\"]\nfrom = [\"ENV_NAME\"]\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		load  string
	}{
		{
			name: "the file protects production itself",
			files: map[string]string{"p/multienv.toml": unprotected, "svc/multienv.toml": `version = 1
extends = ["../p/multienv.toml"]

[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci"], pr = false }]

[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["ENV_NAME", "DEPLOY_ENV"]
`},
			load: "svc/multienv.toml",
		},
		{
			name: "siblings: one changes the base's rule, the other keeps it",
			files: map[string]string{"p/multienv.toml": platformBase, "a/multienv.toml": changed, "c/multienv.toml": kept,
				"top/multienv.toml": "version = 1\nextends = [\"../a/multienv.toml\", \"../c/multienv.toml\"]\n"},
			load: "top/multienv.toml",
		},
		{
			name: "a diamond over the file that declares a runtime",
			files: map[string]string{
				"p/multienv.toml":   strings.Replace(platformBase, "[[rules]]", "[[runtimes]]\nname = \"builder\"\ngroup = \"ci\"\nwhen = [{ set = [\"BUILDER\"] }]\n\n[[rules]]", 1),
				"a/multienv.toml":   "version = 1\nextends = [\"../p/multienv.toml\"]\n",
				"b/multienv.toml":   "version = 1\nextends = [\"../p/multienv.toml\"]\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"], tag = [\"v1.*\"] }]\n",
				"top/multienv.toml": "version = 1\nextends = [\"../a/multienv.toml\", \"../b/multienv.toml\"]\n",
			},
			load: "top/multienv.toml",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := repoTree(t, tc.files)
			if _, err := Load(filepath.Join(root, filepath.FromSlash(tc.load))); err != nil {
				t.Errorf("got %v; want it to load", err)
			}
		})
	}
}

// A file's guards do not depend on the order of extends: a sibling base
// named before the platform's is measured against the platform's allow as
// one named after it is.
func TestExtendsGuardsInAnyOrder(t *testing.T) {
	r := `version = 1
catalog = false
runtime_variable = ""

[[envs]]
name = "sbx"
kind = "sandbox"

[[envs]]
name = "prd"
kind = "production"

[[runtimes]]
name = "buildbox"
group = "ci"
when = [{ set = ["BUILDBOX_JOB"] }]

[[runtimes]]
name = "fallback"
group = "local"

[[rules]]
name = "laptop"
groups = ["local"]
default = "sbx"

[[rules]]
name = "deployed"
groups = ["ci"]
from = ["ENV_NAME"]
`
	p := func(allow string) string {
		return "version = 1\nextends = [\"../r/multienv.toml\"]\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [" + allow + "]\n"
	}
	for _, tc := range []struct {
		name, allow, m, want string
	}{
		{"forcing turned back on", `{ groups = ["ci"], forced = true }`, "runtime_variable = \"FORCE_RT\"\n",
			`m/multienv.toml:3:1: runtime_variable: runtime_variable "FORCE_RT" turns back on the forcing of runtimes a base turned off, and a forced runtime could satisfy the allow of protected environment "prd" (in p/multienv.toml:4:3): a file that extends it may not; name the runtime variable in the base instead`},
		{"the catalog brought back", `{ groups = ["ci"], tag = ["v*"] }`, "catalog = true\n",
			`m/multienv.toml:3:1: catalog: catalog = true brings back the built-in runtimes a base turned off, and runtime "aws_codebuild" of them could satisfy the allow of protected environment "prd" (in p/multienv.toml:4:3): a file that extends it may not; declare the runtimes it needs in the base instead`},
		{"a base's rule made to yield production", `{ groups = ["ci"], tag = ["v*"] }`, "\n[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\ndefault = \"prd\"\n",
			`m/multienv.toml:7:11: rules[0].default: rule "laptop" (in r/multienv.toml:22:3) does not yield the protected environment "prd": a file that extends it may not make it do so; name the rule differently to add a rule of your own`},
		{"a base's rule made to read another variable", `{ groups = ["ci"], tag = ["v*"] }`, "\n[[rules]]\nname = \"deployed\"\ngroups = [\"ci\"]\nfrom = [\"ENV_NAME\", \"DEPLOY_ENV\"]\n",
			`m/multienv.toml:7:21: rules[0].from[1]: rule "deployed" (in r/multienv.toml:27:3) does not read "DEPLOY_ENV": a file that extends it may not make it read another variable, which could name the protected environment "prd"; name the rule differently to add a rule of your own`},
	} {
		for _, order := range []string{`"../m/multienv.toml", "../p/multienv.toml"`, `"../p/multienv.toml", "../m/multienv.toml"`} {
			t.Run(tc.name+" "+order, func(t *testing.T) {
				root := repoTree(t, map[string]string{
					"r/multienv.toml": r, "p/multienv.toml": p(tc.allow),
					"m/multienv.toml": "version = 1\nextends = [\"../r/multienv.toml\"]\n" + tc.m,
					"s/multienv.toml": "version = 1\nextends = [" + order + "]\n",
				})
				_, err := Load(filepath.Join(root, "s", "multienv.toml"))
				if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), root+string(filepath.Separator), ""), tc.want) {
					t.Errorf("got %v\nwant %s", err, tc.want)
				}
			})
		}
	}
}

// A file that protects an environment itself may not turn its base's rule
// into one that yields it either.
func TestExtendsOwnProtectionHoldsRedeclaredRules(t *testing.T) {
	unprotected := strings.Replace(platformBase, "allow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n", "", 1)
	root := repoTree(t, map[string]string{"p/multienv.toml": unprotected, "svc/multienv.toml": `version = 1
extends = ["../p/multienv.toml"]

[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci"], pr = false }]

[[rules]]
name = "local"
groups = ["local"]
default = "prd"
`})
	_, err := Load(filepath.Join(root, "svc", "multienv.toml"))
	want := `svc/multienv.toml:12:11: rules[0].default: rule "local" (in p/multienv.toml:16:3) does not yield the protected environment "prd"`
	if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), root+string(filepath.Separator), ""), want) {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// An allow holds only the files whose choices it was written over: a
// sibling that protects production without extending the base of a rule,
// or without extending the file that turned forcing off, does not refuse
// another sibling's change to them.
func TestExtendsGuardsHoldOnlyWhatTheyChose(t *testing.T) {
	b := "version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n\n[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\nfrom = [\"USER_ENV_NAME\"]\ndefault = \"sbx\"\n"
	p := "version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"], forced = true }]\n\n[[rules]]\nname = \"d\"\ngroups = [\"ci\", \"local\"]\nfrom = [\"ENV_NAME\"]\ndefault = \"sbx\"\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // "" to load
	}{
		{"a rule of a base the protecting file never extended", map[string]string{
			"b.toml": b, "p.toml": p,
			"s.toml":        "version = 1\nextends = [\"b.toml\"]\n\n[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\nfrom = [\"USER_ENV_NAME\", \"MY_ENV\"]\ndefault = \"sbx\"\n",
			"multienv.toml": "version = 1\nextends = [\"s.toml\", \"p.toml\"]\n",
		}, ""},
		{"forcing turned off by a file the protecting file never extended", map[string]string{
			"o.toml": "version = 1\nruntime_variable = \"\"\n", "p.toml": p,
			"s.toml":        "version = 1\nruntime_variable = \"MULTIENV_RUNTIME\"\n",
			"multienv.toml": "version = 1\nextends = [\"o.toml\", \"s.toml\", \"p.toml\"]\n",
		}, ""},
		{"the catalog turned off by a file the protecting file never extended", map[string]string{
			"o.toml":        "version = 1\ncatalog = false\n\n[[runtimes]]\nname = \"buildbox\"\ngroup = \"app\"\nwhen = [{ set = [\"BUILDBOX_JOB\"] }]\n\n[[runtimes]]\nname = \"fallback\"\ngroup = \"local\"\n",
			"p.toml":        p,
			"s.toml":        "version = 1\ncatalog = true\n\n[[runtimes]]\nname = \"fallback\"\ngroup = \"local\"\nwhen = [{ set = [\"NEVER_SET\"] }]\n",
			"multienv.toml": "version = 1\nextends = [\"o.toml\", \"s.toml\", \"p.toml\"]\n",
		}, ""},
		{"of two files that turn forcing back on, the last is held", map[string]string{
			"o.toml":        "version = 1\nruntime_variable = \"\"\n",
			"p.toml":        "version = 1\nextends = [\"o.toml\"]\n" + strings.TrimPrefix(p, "version = 1\n"),
			"s1.toml":       "version = 1\nruntime_variable = \"ONE\"\n",
			"s2.toml":       "version = 1\n\nruntime_variable = \"TWO\"\n",
			"multienv.toml": "version = 1\nextends = [\"o.toml\", \"s1.toml\", \"p.toml\", \"s2.toml\"]\n",
		}, `s2.toml:3:1: runtime_variable: runtime_variable "TWO" turns back on the forcing`},
		{"a base's rule that yields production made to apply to more builds", map[string]string{
			"r.toml":        "version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"] }]\n\n[[rules]]\nname = \"release\"\ngroups = [\"ci\"]\ndefault = \"prd\"\n\n[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n",
			"multienv.toml": "version = 1\nextends = [\"r.toml\"]\n\n[[rules]]\nname = \"release\"\ngroups = [\"ci\", \"app\"]\ndefault = \"prd\"\n",
		}, `multienv.toml:6:10: rules[0].groups: rule "release" (in r.toml:12:3) applies to fewer builds than this: a file that extends it may not make it apply to more while it can yield the protected environment "prd"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := repoTree(t, tc.files)
			_, err := Load(filepath.Join(root, "multienv.toml"))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v; want it to load", err)
			case tc.want != "" && (err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), root+string(filepath.Separator), ""), tc.want)):
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// A sibling that declares a protected environment without an allow keeps
// the allow, in either order; a file that extends the protecting one must
// still repeat it.
func TestExtendsSiblingWithoutAllowKeepsIt(t *testing.T) {
	r := "version = 1\n\n[values]\nregion = \"us\"\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n" +
		"[[envs]]\nname = \"prd\"\nkind = \"production\"\n\n[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n"
	p := "version = 1\nextends = [\"../r/multienv.toml\"]\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n" +
		"allow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n"
	b := func(base string) string {
		return "version = 1\nextends = [\"../" + base + "/multienv.toml\"]\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n" +
			"values = { region = \"eu\" }\n"
	}
	for _, order := range []string{`"../p/multienv.toml", "../b/multienv.toml"`, `"../b/multienv.toml", "../p/multienv.toml"`} {
		t.Run(order, func(t *testing.T) {
			root := repoTree(t, map[string]string{
				"r/multienv.toml": r, "p/multienv.toml": p, "b/multienv.toml": b("r"),
				"s/multienv.toml": "version = 1\nextends = [" + order + "]\n",
			})
			cfg, err := Load(filepath.Join(root, "s", "multienv.toml"))
			if err != nil {
				t.Fatal(err)
			}
			prd := cfg.Envs[slices.IndexFunc(cfg.Envs, func(e Env) bool { return e.Name == "prd" })]
			if got := texts(prd.Allow); !slices.Equal(got, []string{`group ci and tag matches "v*"`}) || prd.Values["region"] != "eu" {
				t.Errorf("prd: allow %q, values %v; want the allow of p and the values of b", got, prd.Values)
			}
		})
	}
	root := repoTree(t, map[string]string{"r/multienv.toml": r, "p/multienv.toml": p, "b/multienv.toml": b("p")})
	_, err := Load(filepath.Join(root, "b", "multienv.toml"))
	want := `b/multienv.toml:4:3: envs[0]: environment "prd" is protected (allow, in p/multienv.toml:4:3): a file that extends it may narrow the allow, never remove it`
	if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), root+string(filepath.Separator), ""), want) {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// A sibling's rule that replaces a base's rule of the same name in the
// merge is held to it as an extending file's is, in the order where it
// replaces it; in the other order the base's rule replaces the sibling's.
func TestExtendsSiblingRuleIsGuarded(t *testing.T) {
	r := "version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n\n" +
		"[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n"
	p := "version = 1\nextends = [\"../r/multienv.toml\"]\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n" +
		"allow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n"
	m := "version = 1\n\n[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\ndefault = \"prd\"\n"
	for _, tc := range []struct{ order, want string }{
		{`"../p/multienv.toml", "../m/multienv.toml"`,
			`m/multienv.toml:6:11: rules[0].default: rule "laptop" (in r/multienv.toml:11:3) does not yield the protected environment "prd": a file merged after it may not make it do so; name the rule differently to add a rule of your own`},
		{`"../m/multienv.toml", "../p/multienv.toml"`, ""},
	} {
		t.Run(tc.order, func(t *testing.T) {
			root := repoTree(t, map[string]string{
				"r/multienv.toml": r, "p/multienv.toml": p, "m/multienv.toml": m,
				"s/multienv.toml": "version = 1\nextends = [" + tc.order + "]\n",
			})
			cfg, err := Load(filepath.Join(root, "s", "multienv.toml"))
			got := ""
			if err != nil {
				got = strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "")
			} else if d := cfg.Rules[0].Default; tc.want == "" && d != "sbx" {
				t.Errorf("rule laptop yields %q, want sbx (r's rule, merged last)", d)
			}
			if got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// Two value keys that export as one name are reported at the one the file
// merged last wrote: the file that made them clash.
func TestExtendsExportClashInTheExtendingFile(t *testing.T) {
	base := "version = 1\n\n[values]\nname = \"x\"\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n" +
		"[[envs]]\nname = \"prd\"\nkind = \"production\"\n\n[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n"
	root := repoTree(t, map[string]string{
		"platform/multienv.toml": base,
		"svc/multienv.toml":      "version = 1\nextends = [\"../platform/multienv.toml\"]\n\n[values]\nNAME = \"dup\"\n",
	})
	_, err := Load(filepath.Join(root, "svc", "multienv.toml"))
	want := `svc/multienv.toml:5:1: values.NAME: values "NAME" and "name" both export as MULTIENV_NAME (NAME after any prefix), and the last printed would win; rename one`
	if err == nil || strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "") != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// A sibling named first that declares a copy of a base's runtime or rule
// does not move it ahead of that base's others: the entry stands where the
// file merged last that extends none of its writers put it.
func TestExtendsSiblingCopyKeepsTheBaseOrder(t *testing.T) {
	a := "version = 1\ncatalog = false\n\n" +
		"[[runtimes]]\nname = \"kube\"\ngroup = \"app\"\nwhen = [{ set = [\"KUBERNETES_SERVICE_HOST\"] }]\n\n" +
		"[[runtimes]]\nname = \"myci\"\ngroup = \"ci\"\nwhen = [{ set = [\"MYCI\"] }]\n\n" +
		"[[runtimes]]\nname = \"local\"\ngroup = \"local\"\n\n" +
		"[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"] }]\n\n" +
		"[[rules]]\nname = \"laptop\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n\n" +
		"[[rules]]\nname = \"main\"\ngroups = [\"ci\"]\nwhen = [{ branch = [\"main\"] }]\ndefault = \"sbx\"\n\n" +
		"[[rules]]\nname = \"deploy\"\ngroups = [\"ci\", \"app\"]\nfrom = [\"ENV_NAME\"]\n"
	c := "version = 1\ncatalog = false\n\n[[runtimes]]\nname = \"myci\"\ngroup = \"ci\"\nwhen = [{ set = [\"MYCI\"] }]\n\n" +
		"[[rules]]\nname = \"deploy\"\ngroups = [\"ci\", \"app\"]\nfrom = [\"ENV_NAME\"]\n"
	root := repoTree(t, map[string]string{
		"a/multienv.toml": a, "c/multienv.toml": c,
		"s/multienv.toml": "version = 1\nextends = [\"../c/multienv.toml\", \"../a/multienv.toml\"]\n",
	})
	cfg, err := Load(filepath.Join(root, "s", "multienv.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var runtimes, rules []string
	for _, rt := range cfg.Runtimes {
		runtimes = append(runtimes, rt.Name)
	}
	for _, r := range cfg.Rules {
		rules = append(rules, r.Name+" "+filepath.Base(filepath.Dir(r.Origin)))
	}
	if want := []string{"kube", "myci", "local"}; !slices.Equal(runtimes, want) {
		t.Errorf("runtimes %q, want %q", runtimes, want)
	}
	if want := []string{"laptop a", "main a", "deploy a"}; !slices.Equal(rules, want) {
		t.Errorf("rules %q, want %q", rules, want)
	}
}

// A file reached through a link finds its bases from where it really is,
// as its repository root is: not from the link's directory, where its
// ../ could reach a file its own root does not hold.
func TestExtendsThroughALinkFromTheRealFile(t *testing.T) {
	big := repoTree(t, map[string]string{
		"secret.toml":         platformBase,
		"sub/base.toml":       platformBase,
		"sub/real.toml":       "version = 1\nextends = [\"../../secret.toml\"]\n",
		"sub/beside.toml":     "version = 1\nextends = [\"base.toml\"]\n",
		"sub/bad.toml":        "version = 1\nextends = [\"broken.toml\"]\n",
		"sub/broken.toml":     "version = 1\nbogus = 1\n",
		"r3/.git/HEAD":        "",
		"r3/svc/placeholder":  "",
		"r3/other/placeholde": "",
	})
	for _, tc := range []struct{ link, target, want string }{
		{"r3/svc/multienv.toml", "sub/real.toml", `extends[0]: base "../../secret.toml" is outside `},
		{"r3/other/multienv.toml", "sub/beside.toml", ""},
		// A base's problem is at the base, as it is, not beside the link.
		{"r3/bad.toml", "sub/bad.toml", filepath.Join("sub", "broken.toml") + ":2:1: bogus: unknown key"},
	} {
		link := filepath.Join(big, filepath.FromSlash(tc.link))
		if err := os.Symlink(filepath.Join(big, filepath.FromSlash(tc.target)), link); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		_, err := Load(link)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v; want its base beside the real file", tc.link, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v; want %s", tc.link, err, tc.want)
		}
	}
}
