package config

import "testing"

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
