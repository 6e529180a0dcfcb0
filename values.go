package multienv

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/envfile"
	"github.com/multienv/multienv/internal/text"
)

// KeyError is a value asked for that is missing or of another type. Its
// message names the key, and suggests the closest when one is close.
type KeyError struct {
	Kind       error  // ErrNoValue or ErrValueType
	Key        string // the dotted key asked for (db.host)
	Reason     string // what is wrong, after the key
	Suggestion string // the closest key, or empty
}

// Error is the one-line message.
func (e *KeyError) Error() string {
	return "value " + text.Quote(e.Key) + " " + e.Reason + text.DidYouMean(e.Suggestion)
}

// Unwrap returns Kind.
func (e *KeyError) Unwrap() error { return e.Kind }

// Values are the values of one resolved environment: [values] with the
// environment's own merged in (tables key by key, arrays and other values
// replaced), and {id}, {env} and {instance} filled in. Keys are dotted for
// nested tables (db.host). A Values is computed when asked for, is the
// caller's, and is safe for concurrent reads.
type Values struct {
	tree   map[string]any
	origin map[string]string
	file   map[string]string
}

// Values returns the values of the environment res resolved to (for
// sbx-101, sbx's, with {instance} filled). res.ID must name res.Env and
// res.Instance in this Config; any other (prd-evil, or an id of another
// configuration) is a *ValueError, and fills no placeholder.
func (c *Config) Values(res Result) (*Values, error) {
	def := c.def()
	env, instance, err := c.r.Lookup("", res.ID)
	if err != nil {
		return nil, resolveError(err)
	}
	e := &def.Envs[env]
	if e.Name != res.Env.Name || instance != res.Instance {
		return nil, &ValueError{Kind: ErrUnknownEnvironment, Value: res.ID,
			Reason: "is not a result of this configuration: its id names environment " + text.Quote(e.Name) + " and instance " +
				text.Quote(instance) + ", not " + text.Quote(res.Env.Name) + " and " + text.Quote(res.Instance),
			Allowed: each(def.Envs, func(d config.Env) string { return d.Name })}
	}
	tree, origin, file := def.ValuesOf(env, res.ID, res.Instance)
	return &Values{tree, origin, file}, nil
}

// ExportName is the name `resolver export` gives the value of key, after
// its prefix: upper-cased, dots made underscores (db.host: DB_HOST).
func ExportName(key string) string { return envfile.Name(key) }

// ExportProblems says why the values cannot be exported as variables named
// prefix, then each key's ExportName (`resolver export --prefix`): a key
// that exports as a name export itself sets (ID, ENV, INSTANCE, KIND), as
// another key's, or as one a shell, the dynamic loader, a language runtime,
// a CI runner or this configuration gives meaning to (PATH, LD_PRELOAD,
// GITHUB_ENV, ENV_NAME...). One message a key; check reports the same.
func (c *Config) ExportProblems(prefix string) []string { return c.def().ExportProblems(prefix) }

// DefaultExportPrefix starts the names `resolver export` prints, unless --prefix says otherwise.
const DefaultExportPrefix = envfile.DefaultPrefix

// Keys returns the dotted keys of every value that is not a table, sorted.
func (v *Values) Keys() []string { return slices.Sorted(maps.Keys(v.origin)) }

// Origin says where the value of key comes from: "the default" or
// "environment prd", then " in FILE" when there are bases, then ", with
// placeholders filled" when its text held some; empty for a table or no value.
func (v *Values) Origin(key string) string { return v.origin[key] }

// File is the file that set the value of key (the configuration's, a
// base's or DefaultFile); empty for a table or no value.
func (v *Values) File(key string) string { return v.file[key] }

// Map returns every value as nested maps, a copy.
func (v *Values) Map() map[string]any { return config.CopyValue(v.tree).(map[string]any) }

// Get returns the value of key: a string, int64, float64, bool, []any or
// map[string]any (a copy). A key with no value is a *KeyError (ErrNoValue)
// that suggests the closest key.
func (v *Values) Get(key string) (any, error) {
	var cur any = v.tree
	parts := strings.Split(key, ".")
	for i, p := range parts {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil, &KeyError{Kind: ErrNoValue, Key: key, Reason: "does not exist: " + text.Quote(strings.Join(parts[:i], ".")) + " is no table"}
		}
		if cur, ok = t[p]; !ok {
			return nil, &KeyError{Kind: ErrNoValue, Key: key, Reason: "does not exist", Suggestion: text.Closest(key, v.allKeys())}
		}
	}
	return config.CopyValue(cur), nil
}

// allKeys are the leaf keys and the tables' keys, for suggestions (a table
// once for each leaf in it: Closest keeps the first of equals).
func (v *Values) allKeys() []string {
	var keys []string
	for _, k := range v.Keys() {
		for i := range len(k) {
			if k[i] == '.' {
				keys = append(keys, k[:i])
			}
		}
		keys = append(keys, k)
	}
	return keys
}

// typed returns the value of key, which must be of T's kind (KindFits).
func typed[T any](v *Values, key string) (T, error) {
	var zero T
	x, err := v.Get(key)
	if err != nil {
		return zero, err
	}
	want, got := config.KindOf(zero), config.KindOf(x)
	if !config.KindFits(want, got) {
		return zero, &KeyError{Kind: ErrValueType, Key: key, Reason: "is " + got + ", not " + want}
	}
	if want != got { // an integer asked for as a float
		x = float64(x.(int64))
	}
	return x.(T), nil
}

// String returns the value of key, which must be a string.
func (v *Values) String(key string) (string, error) { return typed[string](v, key) }

// Int returns the value of key, which must be an integer.
func (v *Values) Int(key string) (int64, error) { return typed[int64](v, key) }

// Float returns the value of key, which must be a float or an integer.
func (v *Values) Float(key string) (float64, error) { return typed[float64](v, key) }

// Bool returns the value of key, which must be a boolean.
func (v *Values) Bool(key string) (bool, error) { return typed[bool](v, key) }

// Unmarshal stores the values in the struct out points to, as
// encoding/json would (field tags `json:"db"`; an unknown field is
// ignored). For koanf users, Provider does the same through koanf.
func (v *Values) Unmarshal(out any) error {
	data, err := json.Marshal(v.tree)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// Provider returns the values as a koanf provider, for a service that
// loads them into its own koanf instance (k.Load(values.Provider(), nil))
// and unmarshals them into its own struct.
func (v *Values) Provider() *ValuesProvider { return &ValuesProvider{v: v} }

// ValuesProvider is a koanf.Provider of Values: Read gives them as nested
// maps (a copy), so no parser is needed.
type ValuesProvider struct{ v *Values }

// Read returns the values as nested maps; none for a zero ValuesProvider.
func (p *ValuesProvider) Read() (map[string]any, error) {
	if p.v == nil {
		return map[string]any{}, nil
	}
	return p.v.Map(), nil
}

// ReadBytes is not supported: Read gives the values already parsed.
func (p *ValuesProvider) ReadBytes() ([]byte, error) {
	return nil, errors.New("multienv values provider: ReadBytes is not supported; use Read (koanf's Load with a nil parser)")
}
