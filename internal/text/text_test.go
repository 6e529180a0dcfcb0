package text

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "prd", "prd"},
		{"emoji kept", "📦 sbx", "📦 sbx"},
		{"emoji sequence kept", "👩\u200d💻", "👩\u200d💻"},
		{"newline", "a\nresult: prd", `a\nresult: prd`},
		{"tab", "a\tb", `a\tb`},
		{"title and clear", "\x1b]0;owned\x07\x1b[2J", `\x1b]0;owned\a\x1b[2J`},
		{"carriage return", "ok\r", `ok\r`},
		{"DEL", "a\x7f", `a\x7f`},
		{"C1 CSI", "a\u009b2J", `a\u009b2J`},
		{"invalid UTF-8", "a\xffb", `a\xffb`},
		{"right-to-left override", "abc\u202edcb", `abc\u202edcb`},
		{"isolate", "\u2066x\u2069", `\u2066x\u2069`},
		{"line separator", "a\u2028b", `a\u2028b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got, want := IsSafe(tt.in), tt.in == tt.want; got != want {
				t.Errorf("IsSafe(%q) = %v, want %v", tt.in, got, want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"short", "PRD", `"PRD"`},
		{"escape", "\x1b[2J", `"\x1b[2J"`},
		{"bidi", "\u202e", `"\u202e"`},
		{"cut at 64 characters", strings.Repeat("é", 70), `"` + strings.Repeat("é", 64) + `"...`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quote(tt.in); got != tt.want {
				t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"fits", "abc", 3, "abc"},
		{"cut", "abcdefgh", 6, "abc..."},
		{"rune boundary", "ééé", 5, "é..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Cut(tt.in, tt.limit); got != tt.want {
				t.Errorf("Cut(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
		})
	}
}

// TestEscapeCut: the escapes are whole or gone, and the result is at most
// the limit; the expected strings are written by hand.
func TestEscapeCut(t *testing.T) {
	tests := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"safe, fits", "abc", 3, "abc"},
		{"safe, cut as Cut", "abcdefgh", 6, "abc..."},
		{"escaped, fits", "a\nb", 4, `a\nb`},
		{"an escape not split", "ab\u202ecdef", 10, `ab...`},
		{"an escape kept whole", "ab\u202ecdef", 11, `ab\u202e...`},
		{"an invalid byte", "a\xffbcdef", 9, `a\xffb...`},
		{"an invalid byte not split", "a\xffbcdef", 7, `a...`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EscapeCut(tt.in, tt.limit)
			if got != tt.want || len(got) > tt.limit {
				t.Errorf("EscapeCut(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
		})
	}
}

func TestPath(t *testing.T) {
	if got, want := Path("/tmp/100%done/a\nb"), `/tmp/100%done/a\nb`; got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
	// GitHub's runner reads a line starting :: as a workflow command.
	for p, want := range map[string]string{"::error::forged.toml": "./::error::forged.toml",
		" ::error::x.toml": "./ ::error::x.toml", "\u00a0::warning::x": "./\u00a0::warning::x", "a::b": "a::b"} {
		if got := Path(p); got != want {
			t.Errorf("Path(%q) = %q, want %q", p, got, want)
		}
	}
	long := "/" + strings.Repeat("d", 1000) + "/multienv.toml"
	got := Path(long)
	if len(got) > 4*MaxQuoted+len(Ellipsis) || !strings.HasSuffix(got, "/multienv.toml") || !strings.HasPrefix(got, "/ddd") || !strings.Contains(got, Ellipsis) {
		t.Errorf("Path(long) = %q (%d bytes): want the start and the end around %q, at most %d bytes", got, len(got), Ellipsis, 4*MaxQuoted+len(Ellipsis))
	}
}

// TestInert: no line of text output reads as a workflow command to
// GitHub's runner: not "::" at its start, once white space is trimmed, nor
// "##[" anywhere (the runner's ActionCommand.TryParse looks for it in the
// whole line); the text stays readable, escaped.
func TestInert(t *testing.T) {
	for in, want := range map[string]string{"::add-mask::": `\x3a:add-mask::`, " ::echo::on": ` \x3a:echo::on`,
		"\u00a0::group::": "\u00a0\\x3a:group::", `\x1b::x`: `\x1b::x`, "a::b": "a::b", ":x": ":x", "📦": "📦",
		"d ##[stop-commands]tok": `d #\x23[stop-commands]tok`, "##[add-mask]x ##[": `#\x23[add-mask]x #\x23[`, "#[x] ##x": "#[x] ##x",
		// What a comparison may pass over is escaped where it hides a command.
		"\u00ad::add-mask::x": `\u00ad::add-mask::x`, "\u200b ::x": `\u200b ::x`, "#\u2060#[add-mask]y": `#\u2060#[add-mask]y`,
		"\ufeff\u034f::x": `\ufeff\u034f::x`, "a\u200bb": "a\u200bb", "👍\ufe0f ok": "👍\ufe0f ok"} {
		if got := Inert(in); got != want {
			t.Errorf("Inert(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsSecretName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"AWS_SECRET_ACCESS_KEY", true},
		{"GITHUB_TOKEN", true},
		{"DB_PASSWORD", true},
		{"ftp_passwd", true},
		{"SSH_PRIVATE_KEY", true},
		{"GOOGLE_APPLICATION_CREDENTIALS", true},
		{"STRIPE_API_KEY", true},
		{"AWS_ACCESS_KEY_ID", true},
		{"Npm_Token", true},
		{"ENV_NAME", false},
		{"USER_ENV_NAME", false},
		{"GITHUB_HEAD_REF", false},
		{"API_KEYRING_PATH", true},
		{"APIKEY", false},
		{"DB_PASS", true},
		{"pass", true},
		{"SMTP_PASSPHRASE", true},
		{"CI_JOB_JWT", true},
		{"CI_JOB_JWT_V2", true},
		{"COMPASS_ENV", false},
		{"BYPASS_CACHE", false},
		{"PASSENGER_APP_ENV", false},
		{"SURPASS", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsSecretName(tt.name); got != tt.want {
				t.Errorf("IsSecretName(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestHidden(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        bool
	}{
		{"GITHUB_TOKEN", "ghp_x", true},
		{"GITHUB_TOKEN", "", false}, // empty: nothing to hide
		{"ENV_NAME", "prd", false},
	} {
		if got := Hidden(tc.name, tc.value); got != tc.want {
			t.Errorf("Hidden(%q, %q) = %v; want %v", tc.name, tc.value, got, tc.want)
		}
	}
}
