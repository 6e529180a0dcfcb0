package config

import "testing"

func TestComposeFill(t *testing.T) {
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
			c, err := ParseCompose(tc.template)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Fill(lookup); got != tc.want {
				t.Errorf("Fill(%q) = %q, want %q", tc.template, got, tc.want)
			}
			if c.String() != tc.template {
				t.Errorf("String() = %q, want %q", c.String(), tc.template)
			}
		})
	}
}

func TestComposeVars(t *testing.T) {
	c, err := ParseCompose("${A}-$${B}-${C_1}")
	if err != nil {
		t.Fatal(err)
	}
	got, want := c.Vars(), []string{"A", "C_1"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Vars() = %q, want %q", got, want)
	}
}

func TestComposeErrors(t *testing.T) {
	for _, tc := range []struct{ template, want string }{
		{"no variable", "names no variable: a fact that is always the same text is no fact (write ${NAME} for a variable)"},
		{"${A", "has a ${ that is never closed"},
		{"${}", `names "", which is no variable name (a letter or underscore, then letters, digits and underscores)`},
		{"${1A}", `names "1A", which is no variable name (a letter or underscore, then letters, digits and underscores)`},
		{"$A", "has a $ that starts no ${NAME} (write $$ for a literal $)"},
		{"${A}$", "has a $ that starts no ${NAME} (write $$ for a literal $)"},
		{"${A}${B}${C}${D}${E}${F}${G}${H}${I}${J}${K}${L}${M}${N}${O}${P}${Q}", "names more than 16 variables"},
	} {
		if _, err := ParseCompose(tc.template); err == nil || err.Error() != tc.want {
			t.Errorf("ParseCompose(%q): %v; want %q", tc.template, err, tc.want)
		}
	}
}

// A composed fact allocates its result only.
func TestComposeFillAllocs(t *testing.T) {
	c, _ := ParseCompose("${A}/${B}")
	lookup := func(k string) (string, bool) { return "x", true }
	if n := testing.AllocsPerRun(100, func() { c.Fill(lookup) }); n > 1 {
		t.Errorf("Fill allocates %v times; want at most 1", n)
	}
}
