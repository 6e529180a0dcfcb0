// Package catalog embeds the built-in runtime catalog: the CI vendors,
// application platforms and dev boxes multienv recognises by itself.
//
// The catalog is a multienv TOML file that holds runtimes only; config
// appends its runtimes to those of every file that does not set
// catalog = false. config holds them compiled into Go (generated from this
// file by its tests), so that no process pays for parsing them.
package catalog

import _ "embed"

// TOML is the catalog file, runtimes.toml.
//
//go:embed runtimes.toml
var TOML []byte
