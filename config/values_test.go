package config

// MergedValues returns the values of environment env (an index in Envs) as
// ValuesOf merges them, with placeholders kept, for the tests of bases.
func (c *Config) MergedValues(env int) map[string]any {
	out := map[string]any{}
	set := func(t map[string]any, k, _ string, v any) { t[k] = CopyValue(v) }
	overlay(out, c.Values, "", set)
	if c.Values != nil {
		overlay(out, c.Envs[env].Values, "", set)
	}
	return out
}
