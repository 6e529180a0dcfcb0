package multienv_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/examples"
)

// ciEnvironment is a GitHub Actions job's environment: about 40 variables.
func ciEnvironment() map[string]string {
	env := map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_ACTION": "__run", "GITHUB_ACTOR": "octocat",
		"GITHUB_EVENT_NAME": "pull_request", "GITHUB_HEAD_REF": "feature/login", "GITHUB_REF_NAME": "42/merge",
		"GITHUB_REF": "refs/pull/42/merge", "GITHUB_BASE_REF": "main", "GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_REPOSITORY": "acme/api", "GITHUB_RUN_ID": "1658821493", "GITHUB_RUN_NUMBER": "12",
		"GITHUB_SHA": "ffac537e6cbbf934b08745a378932722df287a53", "GITHUB_WORKFLOW": "CI",
		"GITHUB_WORKSPACE": "/home/runner/work/api/api", "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
		"RUNNER_NAME": "GitHub Actions 2", "RUNNER_TEMP": "/home/runner/work/_temp",
		"HOME": "/home/runner", "PATH": "/usr/local/bin:/usr/bin:/bin", "SHELL": "/bin/bash",
		"USER": "runner", "LANG": "C.UTF-8", "ENV_NAME": "tst",
	}
	for i := len(env); i < 40; i++ {
		env[fmt.Sprintf("APP_SETTING_%02d", i)] = "value"
	}
	return env
}

func BenchmarkResolve(b *testing.B) {
	cfg, err := multienv.Default()
	if err != nil {
		b.Fatal(err)
	}
	facts := multienv.EnvInputs(ciEnvironment())
	b.ReportAllocs()
	for b.Loop() {
		res, err := cfg.Resolve(facts)
		if err != nil || res.ID != "tst" {
			b.Fatalf("got %q, %v; want tst", res.ID, err)
		}
	}
}

// BenchmarkResolveGitHubFlow resolves with the GitHub-flow recipe: a pull
// request job (its sandbox, sbx-pr42, made from the pull request's
// number), a release tag's job (production, through its allow), and a
// pull_request_target job, whose number is in the event payload (about
// 4 KiB).
func BenchmarkResolveGitHubFlow(b *testing.B) {
	cfg, err := multienv.Load("examples/github-flow.toml")
	if err != nil {
		b.Fatal(err)
	}
	release := ciEnvironment()
	release["GITHUB_EVENT_NAME"], release["GITHUB_REF"], release["GITHUB_REF_NAME"] = "push", "refs/tags/v1.4.0", "v1.4.0"
	release["GITHUB_HEAD_REF"], release["GITHUB_BASE_REF"] = "", ""
	// pull_request_target: the number is in the event payload, which each
	// resolution reads (from memory here) and parses.
	target := ciEnvironment()
	target["GITHUB_EVENT_NAME"], target["GITHUB_REF"], target["GITHUB_EVENT_PATH"] = "pull_request_target", "refs/heads/main", "/github/workflow/event.json"
	payload := []byte(`{"action": "synchronize", "number": 42, "pull_request": {"number": 42, "title": "Login page", "body": "` +
		strings.Repeat("A description of the change. ", 100) + `", "head": {"ref": "feature/login", "sha": "ffac537e6cbbf934b08745a378932722df287a53",
		"repo": {"full_name": "acme/api", "fork": false}}, "base": {"ref": "main", "repo": {"full_name": "acme/api", "fork": false}}},
		"repository": {"full_name": "acme/api", "default_branch": "main"}, "sender": {"login": "octocat"}}`)
	for _, bc := range []struct {
		name, want string
		env        map[string]string
	}{{"pull-request", "sbx-pr42", ciEnvironment()}, {"release", "prd", release}, {"pull-request-target", "sbx-pr42", target}} {
		facts := multienv.EnvInputs(bc.env)
		facts.ReadPayload = func(string) ([]byte, error) { return payload, nil }
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if res, err := cfg.Resolve(facts); err != nil || res.ID != bc.want {
					b.Fatalf("got %q, %v; want %s", res.ID, err, bc.want)
				}
			}
		})
	}
}

// BenchmarkResolveLocal resolves on a laptop: every runtime is tried
// before the fallback, the slowest path.
func BenchmarkResolveLocal(b *testing.B) {
	cfg, err := multienv.Default()
	if err != nil {
		b.Fatal(err)
	}
	facts := multienv.EnvInputs(map[string]string{"HOME": "/home/dev", "PATH": "/usr/bin", "SHELL": "/bin/zsh"})
	b.ReportAllocs()
	for b.Loop() {
		if res, err := cfg.Resolve(facts); err != nil || res.ID != "sbx" {
			b.Fatalf("got %q, %v; want sbx", res.ID, err)
		}
	}
}

// BenchmarkLoadDefault parses the embedded default and runs every check:
// syntax, schema (compiled once per process) and semantics.
func BenchmarkLoadDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := multienv.LoadBytes("examples/multienv.toml", examples.Default()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefault loads the embedded default as Detect and the CLI do,
// without the schema pass the test suite has already made.
func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := multienv.Default(); err != nil {
			b.Fatal(err)
		}
	}
}

// scaleConfig is a file of n runtimes and n/10 rules that name ten
// runtimes each and one group, as a large organisation's file might be.
func scaleConfig(n int) []byte {
	groups := []string{"local", "ci", "app"}
	var b strings.Builder
	b.WriteString("version = 1\ncatalog = false\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\ninstances = true\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n")
	for i := range n {
		fmt.Fprintf(&b, "\n[[runtimes]]\nname = \"rt%d\"\ngroup = %q\n", i, groups[i%3])
		if i < n-1 {
			fmt.Fprintf(&b, "when = [{ set = [\"VAR_%d\"] }]\n", i)
		}
	}
	for k := range n / 10 {
		fmt.Fprintf(&b, "\n[[rules]]\nname = \"rule%d\"\ngroups = [%q]\nruntimes = [", k, groups[k%3])
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "\"rt%d\"", (k*10+j)%n)
		}
		b.WriteString("]\nfrom = [\"ENV_NAME\"]\n")
	}
	b.WriteString("\n[[rules]]\nname = \"last\"\ngroups = [\"local\", \"ci\", \"app\"]\ndefault = \"sbx\"\n")
	return []byte(b.String())
}

// BenchmarkCheck loads and checks files of 1,000 and 10,000 runtimes:
// the cost must grow with the size of the file, not with its square.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		data := scaleConfig(n)
		b.Run(fmt.Sprintf("runtimes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := multienv.LoadBytes("scale.toml", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// hostileSize is the largest file the loader reads.
const hostileSize = 1 << 20

// fill repeats unit(i) for i = 0, 1, ... after head and before tail while
// the whole stays within hostileSize.
func fill(head, tail string, unit func(i int) string) []byte {
	b := []byte(head)
	for i := 0; ; i++ {
		u := unit(i)
		if len(b)+len(u)+len(tail) > hostileSize {
			break
		}
		b = append(b, u...)
	}
	return append(b, tail...)
}

// hostileFiles are files of at most 1 MiB shaped to make a loader slow:
// each must be checked in time and memory in proportion to its size.
func hostileFiles() []struct {
	name string
	data []byte
} {
	deep := func(open, close string) []byte {
		n := (hostileSize - 8) / (len(open) + len(close))
		return []byte("x = " + strings.Repeat(open, n) + strings.Repeat(close, n) + "\n")
	}
	return []struct {
		name string
		data []byte
	}{
		{"unknown-runtimes", fill("version = 1\n", "", func(i int) string {
			var b strings.Builder
			fmt.Fprintf(&b, "[[rules]]\nname = \"r%d\"\ndefault = \"sbx\"\nruntimes = [", i)
			for j := range 5000 {
				fmt.Fprintf(&b, "\"xq%d\",", j)
			}
			b.WriteString("]\n")
			return b.String()
		})},
		{"empty-tables", []byte("version = 1\n" + strings.Repeat("[[envs]]\n", 10000) + strings.Repeat("[[runtimes]]\n", 10000) + strings.Repeat("[[rules]]\n", 10000))},
		{"long-header", fill("version = 1\n[a", "]\nk = 1\n", func(int) string { return ".a" })},
		{"long-dotted-key", fill("version = 1\na", " = 1\n", func(int) string { return ".a" })},
		{"top-level-keys", fill("version = 1\n", "", func(i int) string { return fmt.Sprintf("k%d = 1\n", i) })},
		{"tables", fill("version = 1\n", "", func(i int) string { return fmt.Sprintf("[t%d]\n", i) })},
		{"inline-table-keys", fill("version = 1\nx = {", "}\n", func(i int) string { return fmt.Sprintf("k%d = 1,", i) })},
		{"envs-headers", fill("version = 1\n", "", func(int) string { return "[[envs]]\n" })},
		{"deep-arrays", deep("[", "]")},
		{"deep-inline-tables", deep("{a=", "}")},
		{"scale", scaleConfig(10000)},
		{"unknown-values", unknownValues(9990)},
		// Headers of distinct nested tables, none of them large: the
		// parser's duplicate tracker pays for each in proportion to those
		// before it, so their number is bounded.
		{"nested-headers", fill("version = 1\n", "", func(i int) string { return fmt.Sprintf("[x.t%d.k%d]\n", i/9, i%9) })},
		{"deep-values", []byte("version = 1\n[values]\na = " + strings.Repeat("{b=", 9999) + "1" + strings.Repeat("}", 9999) + "\n")},
		{"branch-lists-when", fill(envsHead, "", func(i int) string {
			return fmt.Sprintf("[[rules]]\nname = \"r%d\"\ngroups = [\"ci\"]\ndefault = \"prd\"\nwhen = [{ pr = false, branch = [%s] }]\n", i, branchList)
		})},
		{"branch-lists-allow", fill("version = 1\n", "", func(i int) string {
			return fmt.Sprintf("[[envs]]\nname = \"e%d\"\nkind = \"production\"\nallow = [{ pr = false, branch = [%s] }]\n", i, branchList)
		})},
		{"spelt-keys", fill("version = 1\n", "", func(i int) string {
			return fmt.Sprintf("[%s.k%d]\n", speltKeys[i%len(speltKeys)], i)
		})},
	}
}

// envsHead declares the environments the rules of hostile files name.
const envsHead = "version = 1\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\ninstances = true\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n"

// branchList is 10,000 patterns, the most a list takes.
var branchList = strings.TrimSuffix(strings.Repeat(`"a",`, 10000), ",")

// speltKeys are spellings of one key, ab: TOML reads each as ab.
var speltKeys = []string{`ab`, `"ab"`, `'ab'`, `"\u0061b"`, `"a\u0062"`, `"\u0061\u0062"`, `"\U00000061b"`, `"a\U00000062"`, `"\U00000061\U00000062"`, `"\u0061\U00000062"`}

// hostileFacts is a runtime with 30 fact sources whose patterns, each
// **a{} then many **/, all fail on one variable of 120 KB.
func hostileFacts() ([]byte, map[string]string) {
	var b strings.Builder
	b.WriteString(envsHead)
	b.WriteString("[[runtimes]]\nname = \"box\"\ngroup = \"ci\"\nwhen = [{ set = [\"BOX\"] }]\nbranch = [")
	pat := "**a{}" + strings.Repeat("**/", 80)
	for i := range 30 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{ var = \"BOX_REF\", pattern = %q }", pat)
	}
	b.WriteString("]\n[[rules]]\nname = \"ci\"\ngroups = [\"ci\"]\ndefault = \"sbx\"\n")
	return []byte(b.String()), map[string]string{"BOX": "1", "BOX_REF": strings.Repeat("b/", 60000)}
}

// unknownValues is a file of n declared values and an environment that
// sets n others, each a near miss of none: every one is reported, and the
// suggestions, capped, compare only names within a small edit distance.
func unknownValues(n int) []byte {
	var b strings.Builder
	b.WriteString("version = 1\n[values]\n")
	for i := range n {
		fmt.Fprintf(&b, "k%05d = 1\n", i)
	}
	b.WriteString("[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n[envs.values]\n")
	for i := range n {
		fmt.Fprintf(&b, "q%05d = 1\n", i)
	}
	return []byte(b.String())
}

// BenchmarkHostile loads each hostile file: each is an error or a warning,
// found in time and memory in proportion to the file.
func BenchmarkHostile(b *testing.B) {
	for _, h := range hostileFiles() {
		if len(h.data) > hostileSize {
			b.Fatalf("%s: %d bytes, more than %d", h.name, len(h.data), hostileSize)
		}
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(h.data)))
			for b.Loop() {
				_, _ = multienv.LoadBytes("hostile.toml", h.data)
			}
		})
	}
	// What current does with the hostile facts: load, then resolve.
	data, env := hostileFacts()
	facts := multienv.EnvInputs(env)
	b.Run("fact-patterns-current", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cfg, err := multienv.LoadBytes("hostile.toml", data)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = cfg.Resolve(facts)
		}
	})
	// Patterns as costly as a pattern can be, against the longest branch
	// a pattern is matched against: every state of each is live at every byte.
	star := strings.Repeat("*a", 126) + "*b*"
	stars := fill(envsHead+"[[rules]]\nname = \"r\"\ngroups = [\"ci\"]\ndefault = \"prd\"\nwhen = [{ pr = false, branch = [", "] }]\n",
		func(int) string { return fmt.Sprintf("%q,", star) })
	longBranch := multienv.EnvInputs(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_REF": "refs/heads/" + strings.Repeat("a", 512-len("refs/heads/")), "ENV_NAME": "sbx"})
	b.Run("star-patterns-current", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(stars)))
		for b.Loop() {
			cfg, err := multienv.LoadBytes("hostile.toml", stars)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = cfg.Resolve(longBranch)
		}
	})
	// And with branch lists: every rule's 10,000 patterns tried.
	when := hostileFiles()
	for _, h := range when {
		if h.name != "branch-lists-when" {
			continue
		}
		facts := multienv.EnvInputs(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_REF": "refs/heads/b"})
		b.Run("branch-lists-current", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if cfg, err := multienv.LoadBytes("hostile.toml", h.data); err == nil {
					_, _ = cfg.Resolve(facts)
				}
			}
		})
	}
}

// valuesConfig is a file of n values, in tables of 50 as a service's
// settings are grouped (db, cache, queue...), and envs environments that
// each override every twentieth of them.
func valuesConfig(n, envs int) []byte {
	const group = 50
	var b strings.Builder
	b.WriteString("version = 1\n")
	for g := range n / group {
		fmt.Fprintf(&b, "\n[values.g%d]\n", g)
		for i := range group {
			switch i % 3 {
			case 0:
				fmt.Fprintf(&b, "v%d = \"value-{env}-%d\"\n", i, i)
			case 1:
				fmt.Fprintf(&b, "v%d = %d\n", i, i)
			default:
				fmt.Fprintf(&b, "v%d = [\"a\", \"b\"]\n", i)
			}
		}
	}
	for e := range envs {
		kind := "workload"
		switch e {
		case 0:
			kind = "sandbox"
		case 1:
			kind = "production"
		}
		fmt.Fprintf(&b, "\n[[envs]]\nname = \"env%d\"\nkind = %q\n", e, kind)
		for g := range n / group {
			fmt.Fprintf(&b, "[envs.values.g%d]\nv1 = %d\nv3 = \"e%d\"\n", g, e, e)
		}
	}
	b.WriteString("\n[[rules]]\nname = \"local\"\ngroups = [\"local\"]\nfrom = [\"USER_ENV_NAME\"]\ndefault = \"env0\"\n")
	return []byte(b.String())
}

// BenchmarkValues loads a file of 1,000 values and 20 environments, every
// check included, and computes one environment's merged values.
func BenchmarkValues(b *testing.B) {
	data := valuesConfig(1000, 20)
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := multienv.LoadBytes("values.toml", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	cfg, err := multienv.LoadBytes("values.toml", data)
	if err != nil {
		b.Fatal(err)
	}
	res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "env7"}))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("values", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, err := cfg.Values(res)
			if err != nil || len(v.Keys()) != 1000 {
				b.Fatalf("%v, %d keys", err, len(v.Keys()))
			}
		}
	})
	// Ten times the file: the cost grows in proportion.
	big := valuesConfig(10000, 20)
	b.Run("load-10000", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(big)))
		for b.Loop() {
			if _, err := multienv.LoadBytes("values.toml", big); err != nil {
				b.Fatal(err)
			}
		}
	})
}
