package multienv_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/multienv/multienv"
)

// wordingConfig has a protected production, a CI runtime that reads two
// variables, one whose rules need a tag, and one no rule applies to.
const wordingConfig = `version = 1
catalog = false
envs = [
  { name = "sbx", kind = "sandbox", instances = true },
  { name = "prd", kind = "production", allow = [{ groups = ["ci"], pr = false, tag = ["v*"] }] },
]
runtimes = [
  { name = "box", group = "ci", when = [{ set = ["BOX"] }], tag = ["BOX_TAG"] },
  { name = "valued", group = "ci", when = [{ set = ["KIND"] }] },
  { name = "idle", group = "app", when = [{ set = ["IDLE"] }] },
  { name = "laptop", group = "local" },
]
rules = [
  { name = "laptop", groups = ["local"], from = ["USER_ENV_NAME"], default = "sbx" },
  { name = "release", runtimes = ["box"], when = [{ tag = "v*" }], default = "prd" },
  { name = "told", runtimes = ["box"], from = ["ENV_NAME"] },
  { name = "deployed", runtimes = ["valued"], from = ["USER_ENV_NAME", "ENV_NAME"] },
]
`

// manyWordingConfig declares sbx, prd and e0 to e27, and the runtimes
// heroku, prow, rt0 to rt86 and laptop.
func manyWordingConfig() string {
	var b strings.Builder
	b.WriteString("version = 1\ncatalog = false\n")
	for _, name := range append([]string{"sbx", "prd"}, numbered("e", 28)...) {
		fmt.Fprintf(&b, "[[envs]]\nname = %q\nkind = %q\n", name, map[bool]string{true: "production", false: "sandbox"}[name == "prd"])
	}
	for i, name := range append([]string{"heroku", "prow"}, numbered("rt", 87)...) {
		fmt.Fprintf(&b, "[[runtimes]]\nname = %q\ngroup = \"ci\"\nwhen = [{ set = [\"R%d\"] }]\n", name, i)
	}
	b.WriteString("[[runtimes]]\nname = \"laptop\"\ngroup = \"local\"\n[[rules]]\nname = \"all\"\ngroups = [\"local\", \"ci\"]\nfrom = [\"ENV\"]\ndefault = \"sbx\"\n")
	return b.String()
}

func numbered(prefix string, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprint(prefix, i)
	}
	return names
}

// TestErrorWording: every error of a resolution, word for word, as the
// front door gives it.
func TestErrorWording(t *testing.T) {
	protected := `allowed only when: group ci and not a pull request and tag matches "v*"`
	valued := strings.Replace(wordingConfig, "catalog = false", "catalog = false\nruntime_variable = \"RUNTIME_TOKEN\"", 1)
	for _, tc := range []struct {
		src  string
		env  map[string]string
		want string
	}{
		{wordingConfig, map[string]string{"USER_ENV_NAME": "PRD"}, `USER_ENV_NAME="PRD" is not a valid environment id (NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits; an INSTANCE at most 32 characters); allowed: sbx, sbx-<id>, prd; did you mean "prd"?`},
		{wordingConfig, map[string]string{"USER_ENV_NAME": "prd-1"}, `USER_ENV_NAME="prd-1" names an instance of "prd", which has no instances; allowed: sbx, sbx-<id>, prd; did you mean "prd"?`},
		{wordingConfig, map[string]string{"KIND": "x"}, `no environment for runtime valued (group ci): USER_ENV_NAME and ENV_NAME are unset or empty; set one to one of: sbx, sbx-<id>, prd`},
		{wordingConfig, map[string]string{"IDLE": "1", "ENV_NAME": "prd"}, `no rule applies to runtime idle (group app), so no environment can be chosen`},
		{wordingConfig, map[string]string{"USER_RUNTIME_NAME": "lap"}, `USER_RUNTIME_NAME="lap" is not a known runtime; allowed: box, valued, idle, laptop; run 'resolver runtimes' for the list; did you mean "laptop"?`},
		{wordingConfig, map[string]string{"USER_RUNTIME_NAME": "zzz"}, `USER_RUNTIME_NAME="zzz" is not a known runtime; allowed: box, valued, idle, laptop; run 'resolver runtimes' for the list`},
		{valued, map[string]string{"RUNTIME_TOKEN": "laptob"}, `RUNTIME_TOKEN=(hidden: the variable's name says it holds a secret) is not a known runtime; allowed: box, valued, idle, laptop; run 'resolver runtimes' for the list`},
		{wordingConfig, map[string]string{"USER_ENV_NAME": "prd"}, `"prd" is protected: runtime laptop (group local) may not choose it, as USER_ENV_NAME (rule laptop) did; ` + protected},
		{wordingConfig, map[string]string{"BOX": "1", "ENV_NAME": "prd"}, `"prd" is protected: runtime box (group ci) may not choose it, as ENV_NAME (rule told) did; ` + protected},
		{wordingConfig, map[string]string{"USER_RUNTIME_NAME": "box", "BOX_TAG": "v1.0.0"}, `"prd" is protected: runtime box (group ci, forced by USER_RUNTIME_NAME) may not choose it, as the default of rule release did; ` + protected},
		{manyWordingConfig(), map[string]string{"USER_RUNTIME_NAME": "prd"}, `USER_RUNTIME_NAME="prd" is not a known runtime; allowed: heroku, prow, rt0, rt1, rt2, rt3, rt4, rt5, rt6, rt7, rt8, rt9, rt10, rt11, rt12, rt13, rt14, rt15, rt16, rt17 and 70 more; run 'resolver runtimes' for the list`},
		{manyWordingConfig(), map[string]string{"USER_RUNTIME_NAME": "lptop"}, `USER_RUNTIME_NAME="lptop" is not a known runtime; allowed: heroku, prow, rt0, rt1, rt2, rt3, rt4, rt5, rt6, rt7, rt8, rt9, rt10, rt11, rt12, rt13, rt14, rt15, rt16, rt17 and 70 more; run 'resolver runtimes' for the list; did you mean "laptop"?`},
		{manyWordingConfig(), map[string]string{"USER_RUNTIME_NAME": "rt77 "}, `USER_RUNTIME_NAME="rt77 " is not a known runtime; allowed: heroku, prow, rt0, rt1, rt2, rt3, rt4, rt5, rt6, rt7, rt8, rt9, rt10, rt11, rt12, rt13, rt14, rt15, rt16, rt17 and 70 more; run 'resolver runtimes' for the list; did you mean "rt77"?`},
		{manyWordingConfig(), map[string]string{"USER_RUNTIME_NAME": strings.Repeat("x", 70000)}, `USER_RUNTIME_NAME="` + strings.Repeat("x", 64) + `"... is not a known runtime; allowed: heroku, prow, rt0, rt1, rt2, rt3, rt4, rt5, rt6, rt7, rt8, rt9, rt10, rt11, rt12, rt13, rt14, rt15, rt16, rt17 and 70 more; run 'resolver runtimes' for the list`},
		{manyWordingConfig(), map[string]string{"ENV": "nope"}, `ENV="nope" is not a declared environment; allowed: sbx, prd, e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17 and 10 more`},
		{manyWordingConfig(), map[string]string{"ENV": "e9x"}, `ENV="e9x" is not a declared environment; allowed: sbx, prd, e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17 and 10 more; did you mean "e9"?`},
	} {
		cfg, err := multienv.LoadBytes("wording.toml", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.Resolve(multienv.EnvInputs(tc.env)); err == nil || err.Error() != tc.want {
			t.Errorf("%.60v:\ngot  %v\nwant %s", tc.env, err, tc.want)
		}
	}
}

// TestErrorListsAreTheCallers: a caller that changes the list of an error
// changes no later error.
func TestErrorListsAreTheCallers(t *testing.T) {
	c, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"USER_ENV_NAME": "nope"}
	facts := multienv.Inputs{Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	_, first := c.Resolve(facts)
	var ve *multienv.ValueError
	if !errors.As(first, &ve) || len(ve.Allowed) == 0 {
		t.Fatalf("got %v, want a *ValueError with the allowed ids", first)
	}
	want := first.Error()
	for i := range ve.Allowed {
		ve.Allowed[i] = "changed"
	}
	if _, again := c.Resolve(facts); again == nil || again.Error() != want {
		t.Errorf("after the first error's list was changed, the next one says:\n%v\nwant:\n%s", again, want)
	}
}

// Error values a program makes itself, or leaves zero, say something and
// never panic: a ConfigError is its Problems, and ErrInvalidConfig.
func TestErrorsMadeOutside(t *testing.T) {
	e := &multienv.ConfigError{Problems: []multienv.Problem{{File: "a.toml", Line: 2, Col: 3, Path: "envs[0].name", Message: "bad"}}}
	if got, want := e.Error(), "a.toml:2:3: envs[0].name: bad"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	if !errors.Is(e, multienv.ErrInvalidConfig) || !errors.Is(&multienv.ConfigError{}, multienv.ErrInvalidConfig) {
		t.Error("a ConfigError made outside is no ErrInvalidConfig")
	}
	if errors.Is(&multienv.ConfigError{}, fs.ErrNotExist) { // walks the chain without a panic
		t.Error("a zero ConfigError wraps fs.ErrNotExist")
	}
	forged := multienv.Problem{File: "a.toml", Line: 1, Message: "bad\nresolver: ok\x1b[2J"}
	if got, want := forged.String(), `a.toml:1: bad\nresolver: ok\x1b[2J`; got != want {
		t.Errorf("String() = %q; want %q, one safe line", got, want)
	}
	if got := (&multienv.ConfigError{}).Error(); got != "" {
		t.Errorf("zero ConfigError: %q; want no problems, no text", got)
	}
	for _, f := range []multienv.Fork{multienv.Fork(7), multienv.Fork(255)} {
		if f.Known() || f.String() != "unknown" {
			t.Errorf("Fork(%d): Known %v, String %q; want unknown, as its JSON null says", f, f.Known(), f.String())
		}
	}
	if m, err := (&multienv.ValuesProvider{}).Read(); err != nil || len(m) != 0 {
		t.Errorf("zero ValuesProvider: Read() = %v, %v; want no values", m, err)
	}
}
