package multienv_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/testconf"
)

// platform is a platform team's base: production may be chosen only by a
// CI job building a tag; a laptop gets the sandbox.
const platform = testconf.File + `allow = [{ groups = ["ci"], tag = ["v*"] }]

[[envs]]
name = "tst"
kind = "workload"

[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["ENV_NAME"]

[values]
bucket = "acme-{env}"
replicas = 1
`

// shop adds a sandbox rule for deployed previews, and values.
const shop = `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "sbx"
kind = "sandbox"
values = { replicas = 2 }

[[rules]]
name = "preview"
groups = ["app"]
default = "sbx"

[values]
queue = "orders"
`

// legacy tries to let laptops deploy production (line 7).
const legacy = `version = 1
extends = ["../platform/multienv.toml"]

[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci", "local"] }]
`

// platformRepo builds a repository holding the base and the two files
// that extend it, and returns its root.
func platformRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	build(t, root, map[string]node{
		".git":                   {kind: "dir"},
		"platform/multienv.toml": {kind: "file", data: platform},
		"shop/multienv.toml":     {kind: "file", data: shop},
		"legacy/multienv.toml":   {kind: "file", data: legacy},
	})
	return root
}

func TestStartWithABase(t *testing.T) {
	root := platformRepo(t)
	dir := filepath.Join(root, "shop")
	file := filepath.Join(dir, "multienv.toml")
	base := filepath.Join(dir, "..", "platform", "multienv.toml")
	for _, tc := range []struct {
		name   string
		env    map[string]string
		id     string
		rule   string
		values map[string]string // key: value and origin
	}{
		{"laptop", map[string]string{}, "sbx", "local", map[string]string{
			"bucket":   "acme-sbx|the default in " + base + ", with placeholders filled",
			"replicas": "2|environment sbx in " + file,
			"queue":    "orders|the default in " + file,
		}},
		{"preview on kubernetes", map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}, "sbx", "preview", nil},
		{"release tag", map[string]string{"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_REF": "refs/tags/v1.2.0", "ENV_NAME": "prd"}, "prd", "deployed", map[string]string{
			"replicas": "1|the default in " + base,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(tc.env)), multienv.RequireFile())
			if err != nil {
				t.Fatal(err)
			}
			if s.Result.ID != tc.id || s.Result.Rule != tc.rule || s.Result.Config != file || s.File() != file {
				t.Errorf("got %s by %s from %s (%s); want %s by %s from %s", s.Result.ID, s.Result.Rule, s.Result.Config, s.File(), tc.id, tc.rule, file)
			}
			for key, want := range tc.values {
				v, _ := s.Values.Get(key)
				got := ""
				switch v := v.(type) {
				case string:
					got = v
				case int64:
					got = map[int64]string{1: "1", 2: "2"}[v]
				}
				if got+"|"+s.Values.Origin(key) != want {
					t.Errorf("%s = %q (%s); want %s", key, got, s.Values.Origin(key), want)
				}
				wantFile := strings.SplitN(strings.SplitN(want, " in ", 2)[1], ",", 2)[0]
				if s.Values.File(key) != wantFile {
					t.Errorf("File(%s) = %s; want %s", key, s.Values.File(key), wantFile)
				}
			}
		})
	}
	t.Run("protected", func(t *testing.T) {
		_, err := multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "prd"})))
		var pe *multienv.ProtectedError
		if !errors.As(err, &pe) || pe.Env != "prd" || pe.Group != multienv.GroupLocal {
			t.Errorf("got %v; want production refused on a laptop", err)
		}
	})
	t.Run("widened allow", func(t *testing.T) {
		_, err := multienv.Start(multienv.WithDir(filepath.Join(root, "legacy")), multienv.WithInputs(multienv.EnvInputs(nil)))
		var ce *multienv.ConfigError
		if !errors.As(err, &ce) || len(ce.Problems) != 1 {
			t.Fatalf("got %v; want one problem", err)
		}
		p := ce.Problems[0]
		if p.File != filepath.Join(root, "legacy", "multienv.toml") || p.Line != 7 || !strings.Contains(p.Message, "widens its allow") {
			t.Errorf("got %s; want legacy/multienv.toml:7 refusing the wider allow", p)
		}
	})
}

func TestStartWithoutAFile(t *testing.T) {
	dir := t.TempDir() // a repository root of its own, with no file
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := multienv.Start(multienv.WithDir(dir), nil, multienv.WithInputs(multienv.EnvInputs(nil))) // a nil Option is none
	if err != nil {
		t.Fatal(err)
	}
	if s.Result.Config != multienv.DefaultFile || s.Result.ID != "sbx" || !strings.HasPrefix(s.Config.Found(), "embedded default") {
		t.Errorf("got %s from %s (%s); want sbx from the embedded default", s.Result.ID, s.Result.Config, s.Config.Found())
	}
	_, err = multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(nil)), multienv.RequireFile())
	if !errors.Is(err, multienv.ErrInvalidConfig) || !strings.Contains(err.Error(), "no multienv.toml found") {
		t.Errorf("got %v; want no file to be an error", err)
	}
	// MULTIENV_CONFIG is read from the inputs given.
	file := filepath.Join(dir, "elsewhere.toml")
	if err := os.WriteFile(file, []byte(configNamed("box")), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(map[string]string{"MULTIENV_CONFIG": file})), multienv.RequireFile())
	if err != nil || s.Result.ID != "box" || s.Result.Config != file {
		t.Errorf("got %v, %v; want box from %s", s, err, file)
	}
	// A file named with no name, or a directory that is not there, is an
	// error: never discovery, never the embedded default.
	_, err = multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(nil)), multienv.WithFile(""))
	if !errors.Is(err, multienv.ErrInvalidConfig) || err.Error() != "WithFile needs a file name" {
		t.Errorf("WithFile(\"\"): got %v; want an error", err)
	}
	_, err = multienv.Start(multienv.WithDir(filepath.Join(dir, "gone")), multienv.WithInputs(multienv.EnvInputs(nil)))
	if !errors.Is(err, multienv.ErrInvalidConfig) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("WithDir of no directory: got %v; want an error", err)
	}
}

// A platform module ships its base as bytes; a service's file extends it.
func TestStartWithGoBases(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	svc := "version = 1\n[[envs]]\nname = \"stg\"\nkind = \"workload\"\n[values]\nqueue = \"q\"\n"
	if err := os.WriteFile(filepath.Join(dir, "multienv.toml"), []byte(svc), 0o644); err != nil {
		t.Fatal(err)
	}
	base := multienv.Base{Name: "acme/platform.toml", Data: []byte(platform)}
	s, err := multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "stg"})), multienv.WithBases(base))
	if err != nil {
		t.Fatal(err)
	}
	if s.Result.ID != "stg" || s.Values.Origin("bucket") != "the default in acme/platform.toml, with placeholders filled" || s.Values.File("queue") != filepath.Join(dir, "multienv.toml") {
		t.Errorf("got %s; bucket from %q, queue from %q", s.Result.ID, s.Values.Origin("bucket"), s.Values.File("queue"))
	}
	// Without a file, the bases alone are the configuration.
	empty := t.TempDir()
	if err := os.Mkdir(filepath.Join(empty, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err = multienv.Start(multienv.WithDir(empty), multienv.WithInputs(multienv.EnvInputs(nil)), multienv.WithBases(base))
	if err != nil || s.Result.ID != "sbx" || s.Result.Config != "acme/platform.toml" {
		t.Errorf("got %v, %v; want sbx from the base", s, err)
	}
}
