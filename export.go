package multienv

import "github.com/multienv/multienv/config"

// ExportProblems says why the values of c cannot be exported as variables
// named prefix, then each key's ExportName (`resolver export --prefix`):
// a key exporting as a name export itself sets (ID, ENV, INSTANCE, KIND),
// two keys exporting as one name, and a name that a shell, the dynamic
// loader, a language runtime, a CI runner or this configuration gives
// meaning to (PATH, LD_PRELOAD, GITHUB_ENV, ENV_NAME, ...). It returns one
// message a key, none when every value can be exported; check reports the
// same for the default prefix and the empty one.
func (c *Config) ExportProblems(prefix string) []string { return c.def().ExportProblems(prefix) }

// DefaultExportPrefix starts the names `resolver export` prints unless
// --prefix says otherwise.
const DefaultExportPrefix = config.DefaultExportPrefix
