// Package examples embeds the recommended configuration, which is also the
// default used when no multienv.toml is found.
package examples

import _ "embed"

//go:embed multienv.toml
var defaultTOML string

// Default returns multienv.toml, the embedded default configuration: a new
// copy on each call, so that no importer can change what others read.
func Default() []byte { return []byte(defaultTOML) }
