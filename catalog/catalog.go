// Package catalog embeds the built-in runtime catalog: the CI vendors,
// application platforms and dev boxes multienv recognises by itself, as a
// multienv TOML file of runtimes only. config appends them to those of every
// file that does not set catalog = false, compiled into Go (generated from
// this file by its tests) so that no process pays for parsing them.
package catalog

import _ "embed"

//go:embed runtimes.toml
var catalogTOML string

// TOML returns the catalog file, runtimes.toml: a new copy on each call, so
// that no importer can change what others read.
func TOML() []byte { return []byte(catalogTOML) }
