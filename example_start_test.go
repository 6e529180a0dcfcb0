package multienv_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/multienv/multienv"
)

// A service's start-up: the file, the environment and its values in one
// call. Here the repository holds no multienv.toml, so the embedded default
// is used; with RequireFile that would be an error instead.
func ExampleStart() {
	dir, err := os.MkdirTemp("", "service")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// A repository root of its own: discovery looks no higher.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		log.Fatal(err)
	}
	s, err := multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "sbx-7"})))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Result.ID, s.Result.Rule, s.File())
	_, err = multienv.Start(multienv.WithDir(dir), multienv.WithInputs(multienv.EnvInputs(nil)), multienv.RequireFile())
	fmt.Println(err != nil)
	// Output:
	// sbx-7 local (default)
	// true
}

// A platform module ships its base as bytes (in the module, an embedded
// file: //go:embed multienv.toml); a service's file extends it.
func ExampleBase() {
	platform := multienv.Base{Name: "platform.toml", Data: []byte(`version = 1
[[envs]]
name = "sbx"
kind = "sandbox"
[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci"], tag = ["v*"] }]
[[rules]]
name = "local"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"
[values]
bucket = "acme-{env}"
`)}
	service := []byte(`version = 1
[values]
queue = "orders"
`)
	cfg, err := multienv.LoadBytes("multienv.toml", service, platform)
	if err != nil {
		log.Fatal(err)
	}
	res, err := cfg.Resolve(multienv.EnvInputs(nil))
	if err != nil {
		log.Fatal(err)
	}
	v, err := cfg.Values(res)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.ID, cfg.Files())
	fmt.Println(v.Origin("bucket"))
	fmt.Println(v.Origin("queue"))
	// A production that laptops may choose would widen the base's allow.
	_, err = multienv.LoadBytes("multienv.toml", []byte(`version = 1
[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["local"] }]
`), platform)
	fmt.Println(err)
	// Output:
	// sbx [platform.toml multienv.toml]
	// the default in platform.toml, with placeholders filled
	// the default in multienv.toml
	// multienv.toml:5:10: envs[0].allow[0]: allow[0] of environment "prd" widens its allow (in platform.toml:5:3): group local; each condition must be one of the base's or narrower (the same keys, each with fewer alternatives, and maybe more keys); allowed there: group ci and tag matches "v*"
}
