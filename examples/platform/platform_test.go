package platform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/examples/platform"
)

// A service's file extends the embedded base; the base's guard holds in it.
func TestServiceExtendsTheModule(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	svc := "version = 1\n[values]\nqueue = \"orders-{env}\"\n"
	if err := os.WriteFile(filepath.Join(dir, "multienv.toml"), []byte(svc), 0o644); err != nil {
		t.Fatal(err)
	}
	start := func(env map[string]string) (*multienv.Startup, error) {
		return multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(env)), multienv.WithBases(platform.Base()), multienv.RequireFile())
	}
	s, err := start(map[string]string{"USER_ENV_NAME": "sbx-3"})
	if err != nil {
		t.Fatal(err)
	}
	bucket, _ := s.Values.String("bucket")
	queue, _ := s.Values.String("queue")
	if s.Result.ID != "sbx-3" || bucket != "acme-sbx-3" || queue != "orders-sbx" || s.Values.File("bucket") != "acme/platform/multienv.toml" {
		t.Errorf("got %s, bucket %q from %s, queue %q", s.Result.ID, bucket, s.Values.File("bucket"), queue)
	}
	if _, err := start(map[string]string{"USER_ENV_NAME": "prd"}); !errors.Is(err, multienv.ErrProtected) {
		t.Errorf("got %v; want production refused on a laptop", err)
	}
	// A file that widens the guard is refused at its line.
	wide := "version = 1\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\", \"local\"] }]\n"
	if err := os.WriteFile(filepath.Join(dir, "multienv.toml"), []byte(wide), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = start(nil)
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "multienv.toml")+":5:10: envs[0].allow[0]: ") {
		t.Errorf("got %v; want the wider allow refused at line 5", err)
	}
}

// The embedded base is a valid configuration on its own, with no warnings.
func TestBase(t *testing.T) {
	b := platform.Base()
	cfg, err := multienv.LoadBytes(b.Name, b.Data)
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.Warnings(); len(w) > 0 {
		t.Errorf("warnings: %v", w)
	}
	b.Data[0] = 'X'
	if platform.Base().Data[0] == 'X' {
		t.Error("Base shares its bytes")
	}
}
