// Command floor does nothing but link the two libraries resolver is built
// on (the TOML parser, and the JSON Schema validator check uses); its run
// time is the floor that `resolver current` is measured against.
package main

import (
	_ "github.com/pelletier/go-toml/v2"
	_ "github.com/santhosh-tekuri/jsonschema/v5"
)

func main() {}
