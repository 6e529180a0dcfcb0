// Package testconf holds the small configuration the module's tests start
// from, so that a test writes only what it adds to it.
package testconf

// Tables are the skeleton's tables: the rule local, then the environments
// sbx and prd. They end in prd's table, so keys that follow before any
// header are prd's (allow, values). A test that needs its own top-level
// keys, or tables at known lines, writes them and the version before Tables.
const Tables = `
[[rules]]
name = "local"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true

[[envs]]
name = "prd"
kind = "production"
`

// File is the skeleton as a file of its own: version 1, then Tables.
const File = "version = 1\n" + Tables
