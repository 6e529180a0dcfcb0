package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baseAndService writes a base of n values (a quarter of them in tables)
// and five environments, and a file extending it with envs environments of
// its own, each overriding ten values; it returns the extending file.
func baseAndService(tb testing.TB, n, envs int) string {
	tb.Helper()
	root := tb.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		tb.Fatal(err)
	}
	var base strings.Builder
	base.WriteString("version = 1\n")
	for _, e := range []string{`"devops"`, `"sbx"`, `"tst"`, `"stg"`} {
		kind := map[string]string{`"devops"`: "devops", `"sbx"`: "sandbox", `"tst"`: "workload", `"stg"`: "workload"}[e]
		fmt.Fprintf(&base, "[[envs]]\nname = %s\nkind = %q\n", e, kind)
	}
	base.WriteString("[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n")
	base.WriteString("[[rules]]\nname = \"local\"\ngroups = [\"local\"]\nfrom = [\"USER_ENV_NAME\"]\ndefault = \"sbx\"\n")
	base.WriteString("[[rules]]\nname = \"deployed\"\ngroups = [\"ci\", \"app\"]\nfrom = [\"ENV_NAME\"]\n")
	base.WriteString("[values]\n")
	for i := range n * 3 / 4 {
		fmt.Fprintf(&base, "key%d = \"value %d of {env}\"\n", i, i)
	}
	for i := range n / 4 {
		fmt.Fprintf(&base, "table%d = { port = %d }\n", i, i)
	}
	var svc strings.Builder
	svc.WriteString("version = 1\nextends = [\"base.toml\"]\n")
	for e := range envs {
		fmt.Fprintf(&svc, "[[envs]]\nname = \"svc%d\"\nkind = \"workload\"\n[envs.values]\n", e)
		for k := range 10 {
			fmt.Fprintf(&svc, "key%d = \"svc %d\"\n", (e*10+k)%(n*3/4), e)
		}
	}
	svc.WriteString("[[rules]]\nname = \"svc\"\nruntimes = [\"kubernetes\"]\nfrom = [\"SVC_ENV\"]\n")
	if err := os.WriteFile(filepath.Join(root, "base.toml"), []byte(base.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	file := filepath.Join(root, "svc.toml")
	if err := os.WriteFile(file, []byte(svc.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return file
}

// BenchmarkExtends loads a base of 1,000 values with a file of 20
// environments extending it, then twice and four times as much: the time
// grows in proportion.
//
//	go test ./config -run '^$' -bench Extends -benchmem
func BenchmarkExtends(b *testing.B) {
	for _, size := range []struct{ values, envs int }{{1000, 20}, {2000, 40}, {4000, 80}} {
		b.Run(fmt.Sprintf("values=%d,envs=%d", size.values, size.envs), func(b *testing.B) {
			file := baseAndService(b, size.values, size.envs)
			if cfg, err := Load(file); err != nil || len(cfg.Envs) != 5+size.envs {
				b.Fatalf("load: %v", err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(file); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The benchmark's files load, with the values merged as written.
func TestBenchmarkFiles(t *testing.T) {
	cfg, err := Load(baseAndService(t, 1000, 20))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Envs) != 25 || len(cfg.Values) != 1000 || len(cfg.Rules) != 3 {
		t.Fatalf("%d envs, %d values, %d rules; want 25, 1000, 3", len(cfg.Envs), len(cfg.Values), len(cfg.Rules))
	}
	if got := cfg.MergedValues(5)["key3"]; got != "svc 0" {
		t.Errorf("svc0's key3 = %v; want its own", got)
	}
}

// BenchmarkExtendsBaseAlone loads the base of BenchmarkExtends alone, for
// comparison: what extending adds is the difference.
func BenchmarkExtendsBaseAlone(b *testing.B) {
	base := filepath.Join(filepath.Dir(baseAndService(b, 1000, 20)), "base.toml")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(base); err != nil {
			b.Fatal(err)
		}
	}
}
