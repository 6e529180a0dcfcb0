// Package catalog embeds the built-in runtime catalog: the CI vendors,
// application platforms and dev boxes multienv recognises by itself.
//
// The catalog is a multienv TOML file that holds runtimes only; config
// appends its runtimes to those of every file that does not set
// catalog = false. config holds them compiled into Go (generated from this
// file by its tests), so that no process pays for parsing them.
package catalog

import _ "embed"

//go:embed runtimes.toml
var catalogTOML string

// TOML returns the catalog file, runtimes.toml: a new copy on each call, so
// that no importer can change what others read.
func TOML() []byte { return []byte(catalogTOML) }
