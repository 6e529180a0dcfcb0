// Command floor does nothing but link the three libraries resolver is built
// on (koanf, its TOML parser, and the JSON Schema validator check uses); its
// run time is the floor that `resolver current` is measured against.
package main

import (
	_ "github.com/knadh/koanf/parsers/toml/v2"
	_ "github.com/knadh/koanf/providers/rawbytes"
	_ "github.com/knadh/koanf/v2"
	_ "github.com/santhosh-tekuri/jsonschema/v5"
)

func main() {}
