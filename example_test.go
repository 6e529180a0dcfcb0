package multienv_test

import (
	"errors"
	"fmt"

	"github.com/multienv/multienv"
)

// A service resolves its environment once, at start-up. Here the process
// facts are given as a map; a real service passes multienv.ProcessFacts(),
// or calls multienv.Detect().
func ExampleConfig_Resolve() {
	cfg, err := multienv.Default()
	if err != nil {
		panic(err)
	}
	res, err := cfg.Resolve(multienv.EnvFacts(map[string]string{
		"GITHUB_ACTION": "__run",
		"ENV_NAME":      "stg",
	}))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.ID, res.Env.Kind, res.Runtime, res.Source, res.Rule)
	// Output: stg workload github_action ENV_NAME deployed
}

// On a laptop the default is the sandbox; USER_ENV_NAME picks an instance.
func ExampleConfig_Resolve_laptop() {
	cfg, _ := multienv.Default()
	res, _ := cfg.Resolve(multienv.EnvFacts(nil))
	fmt.Println(res.ID, res.Source)
	res, _ = cfg.Resolve(multienv.EnvFacts(map[string]string{"USER_ENV_NAME": "sbx-101"}))
	fmt.Println(res.ID, res.Env.Name, res.Instance)
	// Output:
	// sbx default
	// sbx-101 sbx 101
}

// A typo fails loudly, with the variable, the value and a suggestion.
func ExampleConfig_Resolve_typo() {
	cfg, _ := multienv.Default()
	_, err := cfg.Resolve(multienv.EnvFacts(map[string]string{"CI": "true", "ENV_NAME": "PRD"}))
	fmt.Println(errors.Is(err, multienv.ErrInvalidName))
	fmt.Println(err)
	// Output:
	// true
	// ENV_NAME="PRD" is not a valid environment id (NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits; an INSTANCE at most 32 characters); allowed: devops, sbx, sbx-<id>, tst, stg, prd; did you mean "prd"?
}

func ExampleConfig_Runtime() {
	cfg, _ := multienv.Default()
	rt, _ := cfg.Runtime(multienv.EnvFacts(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders"}))
	fmt.Println(rt.Name, rt.Group)
	// Output: aws_lambda app
}

func ExampleConfig_Check() {
	cfg, _ := multienv.Default()
	env, instance, err := cfg.Check("sbx-42")
	fmt.Println(env.Name, instance, err)
	_, _, err = cfg.Check("prod")
	fmt.Println(errors.Is(err, multienv.ErrUnknownEnvironment))
	// Output:
	// sbx 42 <nil>
	// true
}

func ExampleConfig_Workloads() {
	cfg, _ := multienv.Default()
	for _, e := range cfg.Workloads() {
		fmt.Print(e.Name, " ")
	}
	fmt.Println()
	// Output: sbx tst stg prd
}

// LoadBytes reports every problem of a file, each at its line and column:
// those of the schema and those only the semantic checks see.
func ExampleLoadBytes() {
	_, err := multienv.LoadBytes("multienv.toml", []byte(`version = 1
[[envs]]
name = "sbx"
kind = "sandbox"
colour = "red"
[[envs]]
name = "Prod"
kind = "production"
[[rules]]
name = "local"
groups = ["local"]
default = "dev"
`))
	fmt.Println(errors.Is(err, multienv.ErrInvalidConfig))
	for _, p := range multienv.ConfigErrors(err) {
		fmt.Println(p)
	}
	// Output:
	// true
	// multienv.toml:5:1: envs[0].colour: unknown key "colour"; expected one of: description, emoji, instances, kind, name
	// multienv.toml:7:8: envs[1].name: "Prod" is not a valid environment name: it must match ^[a-z][a-z0-9]*$
	// multienv.toml:12:11: rules[0].default: default "dev" is not a declared environment; declared: sbx, Prod
}
