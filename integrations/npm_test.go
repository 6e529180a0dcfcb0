package integrations_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// npmPlatform is process.platform-process.arch for this machine.
var npmPlatform = map[string]string{"linux": "linux", "darwin": "darwin", "windows": "win32"}[runtime.GOOS] + "-" +
	map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]

// extractResolver writes the resolver binary of this platform's release
// archive into dir and returns its path.
func extractResolver(t *testing.T, dist, dir string) string {
	t.Helper()
	name := archiveName(t)
	data, err := os.ReadFile(filepath.Join(dist, name))
	if err != nil {
		t.Fatal(err)
	}
	exe := "resolver"
	if runtime.GOOS == "windows" {
		exe = "resolver.exe"
	}
	var bin []byte
	if strings.HasSuffix(name, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		f, err := zr.Open(exe)
		if err != nil {
			t.Fatal(err)
		}
		bin, err = io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
	} else {
		gz, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err != nil {
				t.Fatalf("%s: no %s: %v", name, exe, err)
			}
			if h.Name == exe {
				if bin, err = io.ReadAll(tr); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
	}
	p := filepath.Join(dir, exe)
	if err := os.WriteFile(p, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNpmPackages stages the launcher and this platform's package with
// npm/build.js, packs them with npm pack, installs the tarballs into a
// fresh project offline, then runs npx resolver and detect().
func TestNpmPackages(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s on PATH: the npm packages are not tested", tool)
		}
	}
	dist := testRelease(t)
	ctx := deadline(t, 4*time.Minute)
	root := t.TempDir()
	// npm's cache is the test's, empty: nothing can come from it.
	env := append(hermetic(t, os.Getenv("PATH")), "npm_config_cache="+filepath.Join(root, "npm-cache"),
		"npm_config_userconfig="+filepath.Join(root, "npmrc"), "npm_config_update_notifier=false")

	bin := extractResolver(t, dist, t.TempDir())
	stage := filepath.Join(root, "stage")
	version := strings.TrimPrefix(releaseVersion, "v")
	r := run(t, ctx, root, env, "node", filepath.Join(repoRoot(t), "npm", "build.js"),
		"--version", releaseVersion, "--out", stage, "--binary", npmPlatform+"="+bin)
	if r.code != 0 {
		t.Fatalf("build.js: exit %d\n%s", r.code, r.stderr)
	}
	tarballs := filepath.Join(root, "tarballs")
	if err := os.Mkdir(tarballs, 0o755); err != nil {
		t.Fatal(err)
	}
	var packed []string
	for _, pkg := range []string{"resolver", "resolver-" + npmPlatform} {
		r := run(t, ctx, filepath.Join(stage, pkg), env, "npm", "pack", "--json", "--pack-destination", tarballs)
		if r.code != 0 {
			t.Fatalf("npm pack %s: exit %d\n%s", pkg, r.code, r.stderr)
		}
		var out []struct {
			Filename string `json:"filename"`
			Files    []struct {
				Path string `json:"path"`
				Mode int    `json:"mode"`
			} `json:"files"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 1 {
			t.Fatalf("npm pack --json: %v\n%s", err, r.stdout)
		}
		var files []string
		for _, f := range out[0].Files {
			files = append(files, f.Path)
		}
		slices.Sort(files)
		want := []string{"README.md", "bin/resolver.js", "index.d.ts", "index.js", "package.json"}
		if pkg != "resolver" {
			want = []string{"README.md", "bin/" + filepath.Base(bin), "package.json"}
		}
		if !slices.Equal(files, want) {
			t.Errorf("npm pack %s: files %v, want %v", pkg, files, want)
		}
		packed = append(packed, filepath.Join(tarballs, filepath.Base(out[0].Filename)))
	}
	if want := "multienv-resolver-" + version + ".tgz"; filepath.Base(packed[0]) != want {
		t.Errorf("tarball %s, want %s", filepath.Base(packed[0]), want)
	}

	// A fresh project, installing offline from the tarballs alone.
	app := project(t, map[string]string{"package.json": `{"name": "app", "version": "1.0.0", "private": true}` + "\n"})
	r = run(t, ctx, app, env, "npm", append([]string{"install", "--offline", "--no-audit", "--no-fund"}, packed...)...)
	if r.code != 0 {
		t.Fatalf("npm install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The launcher's optional dependency of this platform is the tarball's.
	var lock struct {
		Packages map[string]struct {
			Version  string   `json:"version"`
			Optional bool     `json:"optional"`
			OS       []string `json:"os"`
			CPU      []string `json:"cpu"`
		} `json:"packages"`
	}
	if err := json.Unmarshal([]byte(readFileAt(t, filepath.Join(app, "package-lock.json"))), &lock); err != nil {
		t.Fatal(err)
	}
	platformPkg := lock.Packages["node_modules/@multienv/resolver-"+npmPlatform]
	os_, cpu, _ := strings.Cut(npmPlatform, "-")
	if platformPkg.Version != version || !slices.Equal(platformPkg.OS, []string{os_}) || !slices.Equal(platformPkg.CPU, []string{cpu}) {
		t.Errorf("package-lock.json: @multienv/resolver-%s is %+v", npmPlatform, platformPkg)
	}

	if r := run(t, ctx, app, env, "npx", "--offline", "resolver", "current"); r.code != 0 || r.stdout != "sbx\n" {
		t.Errorf("npx resolver current: exit %d, stdout %q, want sbx\n%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, ctx, app, env, "npx", "--offline", "resolver", "--version"); r.stdout != "resolver "+releaseVersion+" (commit "+releaseCommit+")\n" {
		t.Errorf("npx resolver --version: %q\n%s", r.stdout, r.stderr)
	}
	// The launcher exits as the binary does.
	if r := run(t, ctx, app, append(slices.Clone(env), "USER_ENV_NAME=PRD"), "npx", "--offline", "resolver", "current"); r.code != 1 ||
		!strings.HasPrefix(r.stderr, `resolver: USER_ENV_NAME="PRD" is not a valid environment id`) {
		t.Errorf("npx resolver current with USER_ENV_NAME=PRD: exit %d, stderr %q", r.code, r.stderr)
	}
	if runtime.GOOS != "windows" {
		// MULTIENV_RESOLVER_PATH names the binary to run instead.
		other := filepath.Join(t.TempDir(), "other-resolver")
		writeFiles(t, filepath.Dir(other), map[string]string{filepath.Base(other): "#!/bin/sh\necho other \"$@\"\n"})
		if err := os.Chmod(other, 0o755); err != nil {
			t.Fatal(err)
		}
		r := run(t, ctx, app, append(slices.Clone(env), "MULTIENV_RESOLVER_PATH="+other), "npx", "--offline", "resolver", "current", "--json")
		if r.code != 0 || r.stdout != "other current --json\n" {
			t.Errorf("npx resolver with MULTIENV_RESOLVER_PATH: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
		}
	}

	// The README's example, in the project, with values.
	writeFiles(t, app, map[string]string{"multienv.toml": valuesConfig(t), "example.js": readmeSnippet(t, "js")})
	r = run(t, ctx, app, append(slices.Clone(env), "USER_ENV_NAME=sbx-101"), "node", "example.js")
	if r.code != 0 || r.stdout != "sbx-101 sandbox acme-sbx-101\n" {
		t.Errorf("the README's JavaScript example: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, ctx, app, append(slices.Clone(env), "USER_ENV_NAME=PRD"), "node", "example.js")
	if r.code != 1 || !strings.HasPrefix(r.stderr, `resolver: USER_ENV_NAME="PRD"`) {
		t.Errorf("the README's JavaScript example, unresolved: exit %d, stderr %q", r.code, r.stderr)
	}
	if err := os.Remove(filepath.Join(app, "multienv.toml")); err != nil {
		t.Fatal(err)
	}

	// The launcher exits as a shell would on a binary it cannot run.
	for _, tt := range badBinaries(t) {
		if tt.code != 126 {
			continue
		}
		r := run(t, ctx, app, append(slices.Clone(env), "MULTIENV_RESOLVER_PATH="+tt.path), "npx", "--offline", "resolver", "current")
		if r.code != 126 || !regexp.MustCompile(`^resolver: .*`+strings.TrimPrefix(tt.msg, "^")).MatchString(strings.TrimSuffix(r.stderr, "\n")) {
			t.Errorf("npx resolver, %s: exit %d, stderr %q, want 126 and a message matching %s", tt.name, r.code, r.stderr, tt.msg)
		}
		tt.checkNotRun(t)
	}
	// The launcher exits as a shell reports a binary killed by SIGPIPE
	// (128+13) when its reader goes away, though Node ignores SIGPIPE.
	if runtime.GOOS != "windows" {
		big, _ := largeConfig(t)
		writeFiles(t, app, map[string]string{"multienv.toml": big})
		r := run(t, ctx, app, append(slices.Clone(env), "USER_ENV_NAME="+largeID), "bash", "-c",
			`"$0" current --json | head -c 1 >/dev/null; exit "${PIPESTATUS[0]}"`, filepath.Join(app, "node_modules", ".bin", "resolver"))
		if r.code != 128+13 {
			t.Errorf("the launcher, its reader gone: exit %d, want 141\n%s", r.code, r.stderr)
		}
		if err := os.Remove(filepath.Join(app, "multienv.toml")); err != nil {
			t.Fatal(err)
		}
	}

	// index.d.ts's Result declares every key current --json prints.
	if r := run(t, ctx, project(t, nil), env, bin, "current", "--json"); r.code != 0 {
		t.Errorf("resolver current --json: exit %d\n%s", r.code, r.stderr)
	} else {
		var keys map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil {
			t.Fatal(err)
		}
		dts := readRepoFile(t, "npm/resolver/index.d.ts")
		start, end := strings.Index(dts, "export interface Result {"), strings.Index(dts, "\n}\n")
		if start < 0 || end < start {
			t.Fatal("index.d.ts: no interface Result")
		}
		declared := map[string]bool{}
		for _, m := range regexp.MustCompile(`(?m)^  ([a-z_]+): `).FindAllStringSubmatch(dts[start:end], -1) {
			declared[m[1]] = true
		}
		for key := range keys {
			if !declared[key] {
				t.Errorf("index.d.ts: Result has no %s, which current --json prints", key)
			}
		}
		if !strings.Contains(dts[start:end], "  fork: boolean | null;\n") {
			t.Error("index.d.ts: Result.fork is not boolean | null")
		}
	}

	// JSON.parse rounds an integer beyond 2^53 and reads 1.0 as 1, as
	// index.d.ts says; resolver get prints them as written.
	numbers := exampleConfig(t) + "\n[values]\nbig = 9007199254740993\nratio = 1.0\n"
	writeFiles(t, app, map[string]string{"multienv.toml": numbers, "numbers.js": `
const { detect } = require("@multienv/resolver");
const v = detect().values;
process.stdout.write(JSON.stringify([String(v.big), String(v.ratio)]));
`})
	if r := run(t, ctx, app, env, "node", "numbers.js"); r.code != 0 || r.stdout != `["9007199254740992","1"]` {
		t.Errorf("detect() of big and ratio: exit %d, stdout %s, want the rounded [\"9007199254740992\",\"1\"]\n%s", r.code, r.stdout, r.stderr)
	}
	for key, want := range map[string]string{"big": "9007199254740993\n", "ratio": "1.0\n"} {
		if r := run(t, ctx, app, env, "npx", "--offline", "resolver", "get", key); r.code != 0 || r.stdout != want {
			t.Errorf("npx resolver get %s: exit %d, stdout %q, want %q\n%s", key, r.code, r.stdout, want, r.stderr)
		}
	}
	if err := os.Remove(filepath.Join(app, "multienv.toml")); err != nil {
		t.Fatal(err)
	}

	// detect(), with the options of argv[2], as JSON.
	script := `
const { detect, ResolverError } = require("@multienv/resolver");
const out = {};
try {
  const r = detect(JSON.parse(process.argv[2]));
  out.fields = Object.fromEntries(["id", "env", "instance", "kind", "runtime", "group", "pr", "source", "config", "values", "fork", "event", "description"].map((k) => [k, r[k]]));
} catch (e) {
  if (!(e instanceof ResolverError)) throw e;
  out.error = e.name;
  out.message = e.message;
  out.exit_code = e.exitCode;
}
process.stdout.write(JSON.stringify(out));
`
	writeFiles(t, app, map[string]string{"detect.js": script})
	type outcome struct {
		Fields   map[string]any `json:"fields"`
		Error    string         `json:"error"`
		Message  string         `json:"message"`
		ExitCode int            `json:"exit_code"`
	}
	broken, line := brokenConfig(t)
	large, largeValues := largeConfig(t)
	// The caller's directory, with a resolver binary in bin/: a relative
	// MULTIENV_RESOLVER_PATH is found from it, whatever cwd detect() gets.
	caller := t.TempDir()
	if err := os.Mkdir(filepath.Join(caller, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	extractResolver(t, dist, filepath.Join(caller, "bin"))
	writeFiles(t, caller, map[string]string{"detect.js": strings.Replace(script, `require("@multienv/resolver")`,
		`require(`+strconv.Quote(filepath.Join(app, "node_modules", "@multienv", "resolver"))+`)`, 1)})
	sbx := map[string]any{
		"id": "sbx", "env": "sbx", "instance": "", "kind": "sandbox", "runtime": "local", "group": "local",
		"pr": false, "source": "default", "config": "(default)", "values": map[string]any{},
		"fork": nil, "event": "", "description": description(t, "sbx")}
	type detectCase struct {
		name    string
		dir     string // the process's; empty: app
		files   map[string]string
		vars    []string
		options string // JSON
		want    outcome
		msg     string
	}
	tests := []detectCase{
		{name: "default", want: outcome{Fields: sbx}},
		{name: "an instance and values", files: map[string]string{"multienv.toml": valuesConfig(t)}, vars: []string{"USER_ENV_NAME=sbx-101"},
			want: outcome{Fields: map[string]any{
				"id": "sbx-101", "env": "sbx", "instance": "101", "kind": "sandbox", "runtime": "local", "group": "local",
				"pr": false, "source": "USER_ENV_NAME", "config": "multienv.toml",
				"values": map[string]any{"bucket": "acme-sbx-101", "replicas": 1.0},
				"fork":   nil, "event": "", "description": description(t, "sbx")}}},
		// More than the 1 MiB execFileSync reads by default.
		{name: "1.3 MB of values", files: map[string]string{"multienv.toml": large}, vars: []string{"USER_ENV_NAME=" + largeID},
			want: outcome{Fields: map[string]any{
				"id": largeID, "env": "sbx", "instance": strings.TrimPrefix(largeID, "sbx-"), "kind": "sandbox", "runtime": "local", "group": "local",
				"pr": false, "source": "USER_ENV_NAME", "config": "multienv.toml", "values": largeValues,
				"fork": nil, "event": "", "description": description(t, "sbx")}}},
		{name: "a pull request from a fork", vars: prPayload(t),
			want: outcome{Fields: map[string]any{
				"id": "sbx-7", "env": "sbx", "instance": "7", "kind": "sandbox", "runtime": "github_action", "group": "ci",
				"pr": true, "source": "ENV_NAME", "config": "(default)", "values": map[string]any{},
				"fork": true, "event": "pull_request", "description": description(t, "sbx")}}},
		{name: "relative MULTIENV_RESOLVER_PATH", dir: caller, vars: []string{"MULTIENV_RESOLVER_PATH=" + filepath.Join("bin", filepath.Base(bin))},
			options: `{"cwd": ` + strconv.Quote(project(t, nil)) + `}`, want: outcome{Fields: sbx}},
		{name: "cwd not there", options: `{"cwd": ` + strconv.Quote(filepath.Join(root, "gone")) + `}`,
			want: outcome{Error: "ResolverError", ExitCode: 2}, msg: `^cwd ".*gone" is not a directory$`},
		{name: "binary named by MULTIENV_RESOLVER_PATH missing", vars: []string{"MULTIENV_RESOLVER_PATH=" + filepath.Join(root, "nothing")},
			want: outcome{Error: "ResolverError", ExitCode: 127}, msg: `^MULTIENV_RESOLVER_PATH=".*nothing" names no file$`},
		// Options Node refuses are the caller's error, not the binary's.
		{name: "a NUL in config", options: `{"config": "a\u0000b"}`, want: outcome{Error: "ResolverError", ExitCode: 2}, msg: `^resolver: .*null bytes`},
		{name: "a negative timeout", options: `{"timeout": -1}`, want: outcome{Error: "ResolverError", ExitCode: 2}, msg: `^resolver: .*\btimeout\b`},
		{name: "unresolved", vars: []string{"USER_ENV_NAME=PRD"}, want: outcome{Error: "ResolverError", ExitCode: 1},
			msg: `^resolver: USER_ENV_NAME="PRD" is not a valid environment id.*\bprd\b`},
		{name: "invalid file", files: map[string]string{"multienv.toml": broken}, want: outcome{Error: "ResolverError", ExitCode: 3},
			msg: `(?m)^.*multienv\.toml:` + strconv.Itoa(line) + `:1: .*colour: unknown key`},
	}
	bad := badBinaries(t)
	for _, b := range bad {
		options := ""
		if b.timeout {
			options = `{"timeout": 1000}`
		}
		msg := strings.Replace(b.msg, "answer in 1 ", "answer in 1000 ms", 1)
		tests = append(tests, detectCase{name: b.name, vars: []string{"MULTIENV_RESOLVER_PATH=" + b.path}, options: options,
			want: outcome{Error: "ResolverError", ExitCode: b.code}, msg: msg})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The project's own directory, with the file of the case.
			writeFiles(t, app, tt.files)
			defer os.Remove(filepath.Join(app, "multienv.toml"))
			dir, options := tt.dir, tt.options
			if dir == "" {
				dir = app
			}
			if options == "" {
				options = "{}"
			}
			r := run(t, ctx, dir, append(slices.Clone(env), tt.vars...), "node", "detect.js", options)
			if r.code != 0 {
				t.Fatalf("node: exit %d\n%s", r.code, r.stderr)
			}
			var got outcome
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("%v: %.2000s", err, r.stdout)
			}
			if cfg, ok := got.Fields["config"].(string); ok && cfg != "(default)" {
				got.Fields["config"] = filepath.Base(cfg)
			}
			msg := got.Message
			got.Message = ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %.3000s\nwant %.3000s", fmt.Sprint(got), fmt.Sprint(tt.want))
			}
			if tt.msg != "" && !regexp.MustCompile(tt.msg).MatchString(msg) {
				t.Errorf("message %q does not match %s", msg, tt.msg)
			}
		})
	}
	for _, b := range bad {
		b.checkNotRun(t)
	}
}

func readFileAt(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
