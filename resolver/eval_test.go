package resolver

import (
	"testing"

	"github.com/multienv/multienv/config"
)

func TestCompose(t *testing.T) {
	env := map[string]string{"SERVER": "https://github.com", "REPO": "octo/hello", "RUN": "42", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tc := range []struct{ name, template, want string }{
		{"github run", "${SERVER}/${REPO}/actions/runs/${RUN}", "https://github.com/octo/hello/actions/runs/42"},
		{"one variable", "${RUN}", "42"},
		{"adjacent", "${REPO}${RUN}", "octo/hello42"},
		{"literal dollar", "$$${RUN}$$", "$42$"},
		{"literal braces", "{${RUN}}", "{42}"},
		{"unset part", "${SERVER}/${MISSING}", ""},
		{"empty part", "${SERVER}/${EMPTY}/x", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.ParseCompose(tc.template)
			if err != nil {
				t.Fatal(err)
			}
			if got := compose(c, lookup); got != tc.want {
				t.Errorf("compose(%q) = %q, want %q", tc.template, got, tc.want)
			}
			if c.String() != tc.template {
				t.Errorf("String() = %q, want %q", c.String(), tc.template)
			}
		})
	}
}

// A composed fact allocates its result only.
func TestComposeAllocs(t *testing.T) {
	c, _ := config.ParseCompose("${A}/${B}")
	lookup := func(k string) (string, bool) { return "x", true }
	if n := testing.AllocsPerRun(100, func() { compose(c, lookup) }); n > 1 {
		t.Errorf("compose allocates %v times; want at most 1", n)
	}
}
