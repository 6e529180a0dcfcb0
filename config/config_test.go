package config

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multienv/multienv/examples"
	"github.com/multienv/multienv/internal/testconf"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/schema"
)

// readWant reads a .want file: one expected problem a line, as
// LINE:COL: path: message (COL 0 when no column is known).
func readWant(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("missing expectations: %v", err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			want = append(want, line)
		}
	}
	return want
}

func problemLines(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		msg := p.Message
		if p.Path != "" {
			msg = p.Path + ": " + msg
		}
		out[i] = fmt.Sprintf("%d:%d: %s", p.Line, p.Col, msg)
	}
	return out
}

func compareLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestBrokenCorpus loads every file of testdata/broken: each must fail with
// exactly the problems of its .want file, at their lines and columns.
func TestBrokenCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/broken/*.toml")
	if len(files) < 10 {
		t.Fatalf("only %d broken files", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			cfg, err := Load(file)
			var ce *Error
			if !errors.As(err, &ce) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, %v; want a *config.Error", cfg, err)
			}
			for _, p := range ce.Problems {
				if p.File != file {
					t.Errorf("problem names file %q; want %q", p.File, file)
				}
			}
			compareLines(t, problemLines(ce.Problems), readWant(t, strings.TrimSuffix(file, ".toml")+".want"))
		})
	}
}

// TestEveryProblemHasAPosition: every problem of every broken file has a
// line and a column, a missing key included (the table that lacks it), so
// that editors and CI problem matchers can place it.
func TestEveryProblemHasAPosition(t *testing.T) {
	files, _ := filepath.Glob("testdata/broken/*.toml")
	for _, file := range files {
		_, err := Load(file)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v; want a *config.Error", file, err)
			continue
		}
		for _, p := range ce.Problems {
			if p.Line <= 0 || p.Col <= 0 {
				t.Errorf("%s: problem without a position: %s", file, p)
			}
		}
	}
}

// TestUncheckedText runs the passes without the schema, as for the
// embedded files, so that the text rule is seen on its own where the
// schema's name patterns would otherwise speak first; the file is built in
// Go to hold bytes a TOML escape cannot write (invalid UTF-8).
func TestUncheckedText(t *testing.T) {
	data := "version = 1\ncatalog = false\n" +
		"[[envs]]\nname = \"sbx\\u0007\"\nkind = \"sandbox\"\ndescription = \"fine\"\n" +
		"[[envs]]\nname = \"prd\"\nkind = \"production\"\nemoji = \"\\u2067x\"\n" +
		"[[runtimes]]\nname = \"lap\\u009btop\"\ngroup = \"local\"\n" +
		"[[rules]]\nname = \"all\\u007f\"\ngroups = [\"local\"]\ndefault = \"prd\"\n"
	_, err := parseWith("raw.toml", []byte(data), schema.Judge{}, nil)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v; want problems", err)
	}
	want := []string{
		`4:8: envs[0].name: holds a control character ('\a' at byte 3), which a terminal would act on; names, emoji and descriptions are printable text on one line`,
		`10:9: envs[1].emoji: holds a bidirectional control ('\u2067' at byte 0), which reorders text on screen; names, emoji and descriptions are printable text on one line`,
		`12:8: runtimes[0].name: holds a control character ('\u009b' at byte 3), which a terminal would act on; names, emoji and descriptions are printable text on one line`,
		`15:8: rules[0].name: holds a control character ('\x7f' at byte 3), which a terminal would act on; names, emoji and descriptions are printable text on one line`,
	}
	compareLines(t, problemLines(ce.Problems), want)

	// TOML text is valid UTF-8, so a Config built in Go brings the invalid
	// byte that the text rule still rejects.
	l := &checker{collector: &collector{name: "go.toml", data: []byte("[[envs]]\nname = \"a\"\ndescription = \"b\"\n")}}
	l.checkText(&Config{File: "go.toml", Envs: []Env{{Name: "a", Description: "bad \xff byte"}}})
	compareLines(t, problemLines(l.problems), []string{
		"3:15: envs[0].description: is not valid UTF-8 (byte 0xff at byte 4); names, emoji and descriptions are printable text",
	})
}

// TestUncheckedEmptySignals: without the schema (the embedded files), an
// empty `when` is still an error at its position, never "always matches".
func TestUncheckedEmptySignals(t *testing.T) {
	data := "version = 1\ncatalog = false\n" +
		"[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n" +
		"[[runtimes]]\nname = \"never\"\ngroup = \"ci\"\nwhen = []\n" +
		"[[runtimes]]\nname = \"laptop\"\ngroup = \"local\"\n" +
		"[[rules]]\nname = \"all\"\ngroups = [\"local\", \"ci\"]\ndefault = \"sbx\"\n"
	_, err := parseWith("raw.toml", []byte(data), schema.Judge{}, nil)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v; want problems", err)
	}
	compareLines(t, problemLines(ce.Problems), []string{
		"12:8: runtimes[0].when: must not be empty: no signal of an empty list can hold; give at least one, or leave the key out",
	})
}

// TestWarningCorpus loads every file of testdata/warn: each loads, with
// exactly the warnings of its .want file.
func TestWarningCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/warn/*.toml")
	if len(files) == 0 {
		t.Fatal("no warning files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			cfg, err := Load(file)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			compareLines(t, problemLines(cfg.Warnings), readWant(t, strings.TrimSuffix(file, ".toml")+".want"))
		})
	}
}

// TestEmbeddedFilesPassTheSchema makes the full check of the files the
// binary embeds, which loading them at run time skips.
func TestEmbeddedFilesPassTheSchema(t *testing.T) {
	cfg, err := Parse("examples/multienv.toml", examples.Default())
	if err != nil {
		t.Fatalf("example: %v", err)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("example warnings: %v", cfg.Warnings)
	}
}

// TestParseChecksTheSchema: the test above proves the embedded default
// passes the schema only if Parse runs it; a key the schema alone rejects
// must fail it.
func TestParseChecksTheSchema(t *testing.T) {
	bad := append(append([]byte{}, examples.Default()...), "\n[[envs]]\nname = \"qa\"\nkind = \"workload\"\nshade = 1\n"...)
	if _, err := Parse("examples/multienv.toml", bad); err == nil || !strings.Contains(err.Error(), `unknown key "shade"`) {
		t.Errorf("got %v; want the schema's unknown key", err)
	}
}

func TestExampleOnDisk(t *testing.T) {
	disk, err := os.ReadFile("../examples/multienv.toml")
	if err != nil || string(disk) != string(examples.Default()) {
		t.Fatalf("embedded default differs from examples/multienv.toml: %v", err)
	}
	if !strings.HasPrefix(string(disk), "#:schema ../schema/envs.schema.json\n") {
		t.Error("the example does not point editors at the schema on its first line")
	}
}

func TestNames(t *testing.T) {
	for name, want := range map[string]bool{
		"sbx1": true, "prd": true, "a": true,
		"1": false, "sbx-1": false, "": false, "Prd": false, " prd": false, "prd ": false, "s_b": false,
		strings.Repeat("a", 40): true,
	} {
		if got := validName(name); got != want {
			t.Errorf("validName(%q) = %v; want %v", name, got, want)
		}
	}
	for id, want := range map[string][2]string{
		"sbx-101": {"sbx", "101"}, "sbx1": {"sbx1", ""}, "sbx-a1": {"sbx", "a1"},
		"sbx-": {}, "-1": {}, "sbx-1-2": {}, "sbx-A": {}, "1-1": {},
		"sbx-" + strings.Repeat("1", 32): {"sbx", strings.Repeat("1", 32)},
		"sbx-" + strings.Repeat("1", 33): {},
		strings.Repeat("s", 40) + "-1":   {strings.Repeat("s", 40), "1"},
	} {
		name, instance, ok := splitID(id)
		if ok != (want[0] != "") || name != want[0] || instance != want[1] {
			t.Errorf("splitID(%q) = %q, %q, %v; want %q, %q", id, name, instance, ok, want[0], want[1])
		}
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("é", 100)
	for in, want := range map[string]string{
		"PRD":    `"PRD"`,
		"a\nb":   `"a\nb"`,
		"\x1b[m": `"\x1b[m"`,
		long:     `"` + strings.Repeat("é", 64) + `"...`,
	} {
		if got := text.Quote(in); got != want {
			t.Errorf("text.Quote(%q) = %s; want %s", in, got, want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"devops", "sbx", "tst", "stg", "prd"}
	for in, want := range map[string]string{"PRD": "prd", " stg ": "stg", "prod": "prd", "dev": "devops", "qa": "", "x": "", "": ""} {
		if got := text.Closest(in, names); got != want {
			t.Errorf("text.Closest(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestCatalogOverride(t *testing.T) {
	data := []byte(testconf.File + `
[[runtimes]]
name = "circleci"
group = "app"
when = [{ set = ["MY_CIRCLE"] }]
[[runtimes]]
name = "buildbox"
group = "ci"
when = [{ set = ["BUILDBOX"] }]
[[rules]]
name = "all"
groups = ["local", "ci", "app"]
from = ["ENV_NAME"]
default = "sbx"
`)
	cfg, err := Parse("own.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	cat := Catalog()
	if len(cfg.Runtimes) != len(cat)+1 {
		t.Errorf("got %d runtimes; want the catalog's %d plus one", len(cfg.Runtimes), len(cat))
	}
	if cfg.Runtimes[0].Name != "circleci" || cfg.Runtimes[0].Origin != "own.toml" || cfg.Runtimes[1].Name != "buildbox" {
		t.Errorf("own runtimes do not come first: %v, %v", cfg.Runtimes[0], cfg.Runtimes[1])
	}
	n := 0
	for _, rt := range cfg.Runtimes {
		if rt.Name == "circleci" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("circleci appears %d times; the file's must replace the catalog's", n)
	}
	off, err := Parse("off.toml", []byte(strings.Replace(string(data), "version = 1\n", "version = 1\ncatalog = false\n", 1)+
		"[[runtimes]]\nname = \"laptop\"\ngroup = \"local\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(off.Runtimes) != 3 || off.Catalog {
		t.Errorf("catalog = false: got %d runtimes", len(off.Runtimes))
	}
}

func TestByteOrderMark(t *testing.T) {
	if _, err := Parse("bom.toml", append([]byte("\xef\xbb\xbf"), examples.Default()...)); err != nil {
		t.Errorf("the example behind a byte order mark: %v", err)
	}
}

func TestProblemFileOnOneLine(t *testing.T) {
	// The output rule: escaped, as every path printed is, never quoted.
	p := Problem{File: "a\nb\x1b\u202e.toml", Line: 3, Col: 1, Message: "m"}
	if got, want := p.String(), `a\nb\x1b\u202e.toml:3:1: m`; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
	if got := (Problem{File: "dir/ok.toml", Message: "m"}).String(); got != "dir/ok.toml: m" {
		t.Errorf("got %s", got)
	}
}

func TestLoadNotARegularFile(t *testing.T) {
	for _, path := range []string{t.TempDir(), os.DevNull} {
		_, err := Load(path)
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Load(%s): got %v; want a not-a-regular-file problem", path, err)
		}
	}
	big := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(big): got %v; want a size problem", err)
	}
}

func TestCheckID(t *testing.T) {
	cfg := &Config{Envs: []Env{{Name: "sbx", Instances: true}, {Name: "prd"}}}
	many := &Config{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"} {
		many.Envs = append(many.Envs, Env{Name: n})
	}
	for _, tc := range []struct {
		name string
		cfg  *Config
		id   string
		want string
	}{
		{"declared", cfg, "prd", ""},
		{"instance", cfg, "sbx-101", ""},
		{"close name", cfg, "prod", `"prod" is not a declared environment; declared: sbx, prd; did you mean "prd"?`},
		{"close name, no instances there", cfg, "prod-1", `"prod-1" is not a declared environment; declared: sbx, prd`},
		{"close instance", cfg, "sbxx-7", `"sbxx-7" is not a declared environment; declared: sbx, prd; did you mean "sbx-7"?`},
		{"far", cfg, "qa", `"qa" is not a declared environment; declared: sbx, prd`},
		{"no instances", cfg, "prd-1", `"prd-1" names an instance of "prd", which has no instances`},
		{"instance too long", cfg, "sbx-" + strings.Repeat("x", 33), `"sbx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" is not a valid environment id (NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits; an INSTANCE at most 32 characters)`},
		{"list capped", many, "zz", `"zz" is not a declared environment; declared: a, b, c, d, e, f, g, h, i, j, k, l and 3 more`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ck := &checker{collector: &collector{}, ids: newIDIndex(tc.cfg)}
			got, h := ck.checkID(tc.cfg, tc.id)
			if h != nil {
				got += h(true)
			}
			if got != tc.want {
				t.Errorf("checkID(%q) = %s; want %s", tc.id, got, tc.want)
			}
		})
	}
}

// TestCheckIDSuggestionsCapped: a file of 51 rules with a misspelt default
// gets a did-you-mean for the first 50 of them, in the order check prints
// them, each a pass over the environments.
func TestCheckIDSuggestionsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(testconf.File)
	for i := range 51 {
		fmt.Fprintf(&b, "\n[[rules]]\nname = \"r%d\"\ngroups = [\"ci\"]\ndefault = \"prod\"\n", i)
	}
	_, err := Parse("multienv.toml", []byte(b.String()))
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 51 {
		t.Fatalf("got %v; want 51 problems", err)
	}
	for i, p := range ce.Problems {
		if has := strings.HasSuffix(p.Message, `; did you mean "prd"?`); has != (i < 50) {
			t.Errorf("problem %d (line %d): %s", i+1, p.Line, p.Message)
		}
	}
}

// TestRuntimeSuggestionsCapped: the unknown runtimes a file's rules and
// allows name share one cap of 50 did-you-means, as the defaults do.
func TestRuntimeSuggestionsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nallow = [{ runtimes = [")
	for i := range 40 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"gitlab_cj"`)
	}
	b.WriteString("] }]\n")
	for i := range 40 {
		fmt.Fprintf(&b, "\n[[rules]]\nname = \"r%d\"\nruntimes = [\"gitlab_cj\"]\ndefault = \"sbx\"\n", i)
	}
	_, err := Parse("multienv.toml", []byte(b.String()))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v; want a *config.Error", err)
	}
	unknown, hinted := 0, 0
	for _, p := range ce.Problems {
		if strings.HasPrefix(p.Message, `unknown runtime "gitlab_cj"`) {
			unknown++
			if strings.HasSuffix(p.Message, `; did you mean "gitlab_ci"?`) {
				hinted++
			}
		}
	}
	if unknown != 80 || hinted != 50 {
		t.Errorf("%d unknown runtimes reported, %d with a did-you-mean; want 80, 50", unknown, hinted)
	}
}

// TestSuggestionsCappedAcrossKinds: the cap of 50 did-you-mean hints is
// the check's, whatever they suggest, and goes to the problems printed
// first: 30 misspelt value keys (on line 12), then 30 rules, each with a
// misspelt runtime and a misspelt default, all close to a declared name;
// exactly the first 50 problems, in the order check prints them, get one.
func TestSuggestionsCappedAcrossKinds(t *testing.T) {
	var b strings.Builder
	b.WriteString("version = 1\n\n[values]\nport = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\nvalues = { ")
	for i := range 30 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "port%c%c = 2", 'a'+i/26, 'a'+i%26)
	}
	b.WriteString(" }\n")
	for i := range 30 {
		fmt.Fprintf(&b, "\n[[rules]]\nname = \"r%d\"\nruntimes = [\"gitlab_cj\"]\ndefault = \"prod\"\n", i)
	}
	_, err := Parse("multienv.toml", []byte(b.String()))
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 90 {
		t.Fatalf("got %v; want 90 problems", err)
	}
	for i, p := range ce.Problems {
		if hinted := strings.Contains(p.Message, "; did you mean "); hinted != (i < 50) {
			t.Errorf("problem %d (line %d): %s", i+1, p.Line, p.Message)
		}
	}
}

// A problem's path is whole as data (check --format json prints it so), and
// cut in its line, which keeps the message.
func TestProblemStringCutsTheLongPath(t *testing.T) {
	long := strings.Repeat("k", 5000)
	p := Problem{File: "a.toml", Line: 2, Col: 1, Path: long, Message: "unknown key"}
	got := p.String()
	if !strings.HasPrefix(got, "a.toml:2:1: kkk") || !strings.HasSuffix(got, "...: unknown key") || len(got) > 4*text.MaxQuoted+40 {
		t.Errorf("String() = %.120q... (%d bytes); want the path cut to %d bytes, then the message", got, len(got), 4*text.MaxQuoted)
	}
}

// TestKeysOfNoValue: an Op or a Fact beyond those declared spells no key,
// and does not panic.
func TestKeysOfNoValue(t *testing.T) {
	if got := Op(6).Key(); got != "" {
		t.Errorf("Op(6).Key() = %q; want empty", got)
	}
	if got := OpFile.Key(); got != "file" {
		t.Errorf("OpFile.Key() = %q; want file", got)
	}
	if got := Fact(NumFacts).Key(); got != "" {
		t.Errorf("Fact(NumFacts).Key() = %q; want empty", got)
	}
	if got := Fact(255).Key(); got != "" {
		t.Errorf("Fact(255).Key() = %q; want empty", got)
	}
}
