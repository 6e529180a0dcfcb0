package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baseAndService writes a base of n values, in tables of 50 (one table of
// thousands of keys costs go-toml more than its size: see the README's
// Speed), and five environments, and a file extending it with envs
// environments of its own, each overriding ten values; it returns the
// extending file.
func baseAndService(tb testing.TB, n, envs int) string {
	tb.Helper()
	root := tb.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		tb.Fatal(err)
	}
	var base strings.Builder
	base.WriteString("version = 1\n")
	for _, e := range [][2]string{{"devops", "devops"}, {"sbx", "sandbox"}, {"tst", "workload"}, {"stg", "workload"}} {
		fmt.Fprintf(&base, "[[envs]]\nname = %q\nkind = %q\n", e[0], e[1])
	}
	base.WriteString("[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"], tag = [\"v*\"] }]\n")
	base.WriteString("[[rules]]\nname = \"local\"\ngroups = [\"local\"]\nfrom = [\"USER_ENV_NAME\"]\ndefault = \"sbx\"\n")
	base.WriteString("[[rules]]\nname = \"deployed\"\ngroups = [\"ci\", \"app\"]\nfrom = [\"ENV_NAME\"]\n")
	tables := n / 50
	for g := range tables {
		fmt.Fprintf(&base, "[values.g%d]\n", g)
		for k := range 50 {
			if k%4 == 3 {
				fmt.Fprintf(&base, "k%d = %d\n", k, k)
			} else {
				fmt.Fprintf(&base, "k%d = \"value %d.%d of {env}\"\n", k, g, k)
			}
		}
	}
	var svc strings.Builder
	svc.WriteString("version = 1\nextends = [\"base.toml\"]\n")
	for e := range envs {
		fmt.Fprintf(&svc, "[[envs]]\nname = \"svc%d\"\nkind = \"workload\"\n[envs.values.g%d]\n", e, e%tables)
		for k := range 10 {
			fmt.Fprintf(&svc, "k%d = \"svc %d\"\n", k*4, e)
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
			benchLoad(b, baseAndService(b, size.values, size.envs), 5+size.envs)
		})
	}
}

// The benchmark's files load, with the values merged as written.
func TestBenchmarkFiles(t *testing.T) {
	cfg, err := Load(baseAndService(t, 1000, 20))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Envs) != 25 || len(cfg.Values) != 20 || len(cfg.Values["g19"].(map[string]any)) != 50 || len(cfg.Rules) != 3 {
		t.Fatalf("%d envs, %d value tables, %d rules; want 25, 20 of 50, 3", len(cfg.Envs), len(cfg.Values), len(cfg.Rules))
	}
	g1 := cfg.MergedValues(6)["g1"].(map[string]any) // svc1
	if g1["k4"] != "svc 1" || g1["k1"] != "value 1.1 of {env}" || g1["k3"] != int64(3) {
		t.Errorf("svc1's g1 = %v; want k4 its own, k1 and k3 the base's", g1)
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

// guardedRuntimes writes a base of n protected environments, each allowed
// to group ci, and a file extending it with n runtimes of group local, each
// checked against every allow; it returns the extending file.
func guardedRuntimes(tb testing.TB, n int) string {
	tb.Helper()
	var base, svc strings.Builder
	base.WriteString("version = 1\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n[[rules]]\nname = \"local\"\ngroups = [\"local\"]\ndefault = \"sbx\"\n")
	svc.WriteString("version = 1\nextends = [\"base.toml\"]\n")
	for i := range n {
		fmt.Fprintf(&base, "[[envs]]\nname = \"p%d\"\nkind = \"production\"\nallow = [{ groups = [\"ci\"], runtimes = [\"r%d\"] }]\n", i, i)
		fmt.Fprintf(&svc, "[[runtimes]]\nname = \"r%d\"\ngroup = \"local\"\nwhen = [{ set = [\"R%d\"] }]\n", i, i)
	}
	root := repoTree(tb, map[string]string{"base.toml": base.String(), "svc.toml": svc.String()})
	return filepath.Join(root, "svc.toml")
}

// BenchmarkExtendsRuntimes loads a file of 500 runtimes extending a base of
// 500 protected environments, then twice and four times as many: the time
// grows in proportion.
//
//	go test ./config -run '^$' -bench ExtendsRuntimes -benchmem
func BenchmarkExtendsRuntimes(b *testing.B) {
	for _, n := range []int{500, 1000, 2000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchLoad(b, guardedRuntimes(b, n), n+1) })
	}
}

// benchLoad measures Load of file, which must load with envs environments.
func benchLoad(b *testing.B, file string, envs int) {
	if cfg, err := Load(file); err != nil || len(cfg.Envs) != envs {
		b.Fatalf("load: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(file); err != nil {
			b.Fatal(err)
		}
	}
}
