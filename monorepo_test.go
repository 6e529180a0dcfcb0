package multienv_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/multienv/multienv"
)

// copyTree copies the files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The monorepo recipe (examples/monorepo): each service's file extends the
// root one; discovery from a service's directory finds the service's file.
// The expectations are the recipe's comments.
func TestRecipeMonorepo(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join("examples", "monorepo"), root)
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	api, worker := filepath.Join(root, "services", "api"), filepath.Join(root, "services", "worker")
	if err := os.MkdirAll(filepath.Join(worker, "cmd", "run"), 0o755); err != nil {
		t.Fatal(err)
	}
	release := func(extra map[string]string) map[string]string {
		env := github("push", "refs/tags/v2.0.0", map[string]string{"GITHUB_REF_NAME": "v2.0.0", "ENV_NAME": "prd"})
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	for _, tc := range []struct {
		name   string
		dir    string
		env    map[string]string
		id     string
		rule   string
		err    error
		values map[string]any
	}{
		{"api on a laptop", api, map[string]string{}, "sbx", "laptop", nil,
			map[string]any{"port": int64(8080), "region": "eu-west-1", "log_level": "debug", "bucket": "acme-sbx", "replicas": int64(1)}},
		{"api preview on kubernetes", api, map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}, "sbx", "preview", nil, nil},
		{"api release", api, release(nil), "prd", "deployed", nil,
			map[string]any{"replicas": int64(6), "log_level": "warn", "bucket": "acme-prd"}},
		{"api production from a laptop", api, map[string]string{"USER_ENV_NAME": "prd"}, "", "", multienv.ErrProtected, nil},
		{"api production from a pull request", api, github("pull_request", "refs/pull/9/merge", map[string]string{"ENV_NAME": "prd"}), "", "", multienv.ErrProtected, nil},
		{"worker release", filepath.Join(worker, "cmd", "run"), release(nil), "prd", "deployed", nil, map[string]any{"queue": "jobs-prd"}},
		{"worker release from GitLab", worker, gitlab(map[string]string{"CI_COMMIT_TAG": "v2.0.0", "ENV_NAME": "prd"}), "", "", multienv.ErrProtected, nil},
		{"worker sandbox", worker, map[string]string{"USER_ENV_NAME": "sbx-12"}, "sbx-12", "laptop", nil, map[string]any{"bucket": "acme-sbx-12", "queue": "jobs-sbx"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := multienv.Start(multienv.WithDir(tc.dir), multienv.WithInputs(multienv.EnvInputs(tc.env)), multienv.RequireFile())
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v; want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Result.ID != tc.id || s.Result.Rule != tc.rule {
				t.Errorf("got %s by %s; want %s by %s", s.Result.ID, s.Result.Rule, tc.id, tc.rule)
			}
			// The nearest file: the service's, from any directory under it.
			want := filepath.Join(api, "multienv.toml")
			if tc.dir != api {
				want = filepath.Join(worker, "multienv.toml")
			}
			if s.File() != want {
				t.Errorf("used %s; want %s", s.File(), want)
			}
			for k, want := range tc.values {
				if got, _ := s.Values.Get(k); got != want {
					t.Errorf("%s = %v; want %v", k, got, want)
				}
			}
		})
	}
	for _, file := range []string{filepath.Join(root, "multienv.toml"), filepath.Join(api, "multienv.toml"), filepath.Join(worker, "multienv.toml")} {
		cfg, err := multienv.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		if w := cfg.Warnings(); len(w) > 0 {
			t.Errorf("%s: warnings %v", file, w)
		}
	}
}
