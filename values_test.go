package multienv_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/knadh/koanf/v2"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/testconf"
)

const valuesFile = `version = 1

[values]
bucket = "acme-{id}"
dir = "/srv/{env}/{instance}/{{literal}}"
replicas = 1
ratio = 0.5
debug = false
hosts = ["a-{env}", "b"]
db = { host = "db.{env}", port = 5432, opts = { tls = true } }
aot = [{ k = "{id}-x", lit = "{{a}}" }]
nested = [["{env}", "{{b}}"]]
` + testconf.Tables + `values = { replicas = 3, ratio = 2, hosts = ["c"], db = { opts = { tls = false } } }
`

func valuesFor(t *testing.T, id string) *multienv.Values {
	t.Helper()
	cfg, err := multienv.LoadBytes("values.toml", []byte(valuesFile))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": id}))
	if err != nil {
		t.Fatal(err)
	}
	v, err := cfg.Values(res)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValues(t *testing.T) {
	sbx := valuesFor(t, "sbx-101")
	want := map[string]any{
		"bucket": "acme-sbx-101", "dir": "/srv/sbx/101/{literal}", "replicas": int64(1), "ratio": 0.5, "debug": false,
		"hosts": []any{"a-sbx", "b"}, "db": map[string]any{"host": "db.sbx", "port": int64(5432), "opts": map[string]any{"tls": true}},
		"aot": []any{map[string]any{"k": "sbx-101-x", "lit": "{a}"}}, "nested": []any{[]any{"sbx", "{b}"}},
	}
	if got := sbx.Map(); !reflect.DeepEqual(got, want) {
		t.Errorf("sbx-101:\ngot  %v\nwant %v", got, want)
	}
	prd := valuesFor(t, "prd")
	want = map[string]any{
		"bucket": "acme-prd", "dir": "/srv/prd//{literal}", "replicas": int64(3), "ratio": int64(2), "debug": false,
		"hosts": []any{"c"}, "db": map[string]any{"host": "db.prd", "port": int64(5432), "opts": map[string]any{"tls": false}},
		"aot": []any{map[string]any{"k": "prd-x", "lit": "{a}"}}, "nested": []any{[]any{"prd", "{b}"}},
	}
	if got := prd.Map(); !reflect.DeepEqual(got, want) {
		t.Errorf("prd:\ngot  %v\nwant %v", got, want)
	}
	for key, origin := range map[string]string{
		"bucket": "the default, with placeholders filled", "replicas": "environment prd", "db.port": "the default",
		"db.opts.tls": "environment prd", "hosts": "environment prd", "debug": "the default",
	} {
		if got := prd.Origin(key); got != origin {
			t.Errorf("Origin(%s) = %q; want %q", key, got, origin)
		}
	}
	if got, want := prd.Keys(), []string{"aot", "bucket", "db.host", "db.opts.tls", "db.port", "debug", "dir", "hosts", "nested", "ratio", "replicas"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Keys() = %v; want %v", got, want)
	}
}

func TestValuesTyped(t *testing.T) {
	v := valuesFor(t, "prd")
	if s, err := v.String("db.host"); s != "db.prd" || err != nil {
		t.Errorf("String(db.host) = %q, %v", s, err)
	}
	if n, err := v.Int("replicas"); n != 3 || err != nil {
		t.Errorf("Int(replicas) = %d, %v", n, err)
	}
	if f, err := v.Float("ratio"); f != 2 || err != nil { // an integer is a float too
		t.Errorf("Float(ratio) = %v, %v", f, err)
	}
	if b, err := v.Bool("db.opts.tls"); b || err != nil {
		t.Errorf("Bool(db.opts.tls) = %v, %v", b, err)
	}
	for _, tc := range []struct {
		get  func() error
		kind error
		msg  string
	}{
		{func() error { _, err := v.Int("replica"); return err }, multienv.ErrNoValue, `value "replica" does not exist; did you mean "replicas"?`},
		{func() error { _, err := v.String("db.hots"); return err }, multienv.ErrNoValue, `value "db.hots" does not exist; did you mean "db.host"?`},
		{func() error { _, err := v.String("bucket.name"); return err }, multienv.ErrNoValue, `value "bucket.name" does not exist: "bucket" is no table`},
		{func() error { _, err := v.Int("db.host"); return err }, multienv.ErrValueType, `value "db.host" is a string, not an integer`},
		{func() error { _, err := v.Bool("db"); return err }, multienv.ErrValueType, `value "db" is a table, not a boolean`},
	} {
		err := tc.get()
		var ke *multienv.KeyError
		if !errors.Is(err, tc.kind) || !errors.As(err, &ke) || err.Error() != tc.msg {
			t.Errorf("got %v; want %q (%v)", err, tc.msg, tc.kind)
		}
	}
}

// What Values hands out is the caller's: changing it changes nothing.
func TestValuesAreCopies(t *testing.T) {
	v := valuesFor(t, "prd")
	m := v.Map()
	m["db"].(map[string]any)["host"] = "changed"
	hosts, _ := v.Get("hosts")
	hosts.([]any)[0] = "changed"
	if s, _ := v.String("db.host"); s != "db.prd" {
		t.Errorf("db.host = %q after a change to a copy", s)
	}
	if h, _ := v.Get("hosts"); h.([]any)[0] != "c" {
		t.Errorf("hosts = %v after a change to a copy", h)
	}
	if again := valuesFor(t, "prd"); !reflect.DeepEqual(again.Map()["hosts"], []any{"c"}) {
		t.Errorf("a second Values sees a change to the first")
	}
}

// A service loads the values into its own koanf and its own struct.
func TestValuesProvider(t *testing.T) {
	v := valuesFor(t, "prd")
	k := koanf.New(".")
	if err := k.Load(v.Provider(), nil); err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Bucket string `koanf:"bucket"`
		DB     struct {
			Host string `koanf:"host"`
			Port int    `koanf:"port"`
		} `koanf:"db"`
		Hosts []string `koanf:"hosts"`
	}
	if err := k.Unmarshal("", &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Bucket != "acme-prd" || cfg.DB.Host != "db.prd" || cfg.DB.Port != 5432 || !reflect.DeepEqual(cfg.Hosts, []string{"c"}) {
		t.Errorf("unmarshalled %+v", cfg)
	}
	if k.Int64("replicas") != 3 {
		t.Errorf("replicas = %d", k.Int64("replicas"))
	}
	var plain struct {
		Replicas int `json:"replicas"`
	}
	if err := v.Unmarshal(&plain); err != nil || plain.Replicas != 3 {
		t.Errorf("Unmarshal: %+v, %v", plain, err)
	}
}

// An instance takes its environment's values, and Origin names that
// environment (sbx), not the instance's id (sbx-101), which declares none.
func TestValuesOriginOfAnInstance(t *testing.T) {
	const file = `version = 1

[values]
bucket = "acme-{id}"
replicas = 1

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true
values = { replicas = 2 }

[[envs]]
name = "prd"
kind = "production"

[[rules]]
name = "local"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"
`
	cfg, err := multienv.LoadBytes("instance.toml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "sbx-101"}))
	if err != nil {
		t.Fatal(err)
	}
	v, err := cfg.Values(res)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"replicas": "environment sbx", "bucket": "the default, with placeholders filled"} {
		if got := v.Origin(key); got != want {
			t.Errorf("sbx-101: Origin(%s) = %q; want %q", key, got, want)
		}
	}
	if n, err := v.Int("replicas"); n != 2 || err != nil {
		t.Errorf("sbx-101: replicas = %d, %v; want sbx's 2", n, err)
	}
}
