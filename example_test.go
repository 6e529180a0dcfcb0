package multienv_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/examples"
)

// A service resolves its environment once, at start-up. Here the process
// inputs are given as a map; a real service passes multienv.ProcessInputs(),
// or calls multienv.Detect().
func ExampleConfig_Resolve() {
	cfg, err := multienv.Default()
	if err != nil {
		panic(err)
	}
	res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{
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
	res, _ := cfg.Resolve(multienv.EnvInputs(nil))
	fmt.Println(res.ID, res.Source)
	res, _ = cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "sbx-101"}))
	fmt.Println(res.ID, res.Env.Name, res.Instance)
	// Output:
	// sbx default
	// sbx-101 sbx 101
}

// A typo fails loudly, with the variable, the value and a suggestion.
func ExampleConfig_Resolve_typo() {
	cfg, _ := multienv.Default()
	_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"CI": "true", "ENV_NAME": "PRD"}))
	fmt.Println(errors.Is(err, multienv.ErrInvalidName))
	fmt.Println(err)
	// Output:
	// true
	// ENV_NAME="PRD" is not a valid environment id (NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits; an INSTANCE at most 32 characters); allowed: devops, sbx, sbx-<id>, tst, stg, prd; did you mean "prd"?
}

func ExampleConfig_Runtime() {
	cfg, _ := multienv.Default()
	rt, _ := cfg.Runtime(multienv.EnvInputs(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders"}))
	fmt.Println(rt.Name, rt.Group)
	// Output: aws_lambda app
}

// Lookup checks an id a deploy script was given, as the resolver would.
func ExampleConfig_Lookup() {
	cfg, _ := multienv.Default()
	env, instance, err := cfg.Lookup("sbx-42")
	fmt.Println(env.Name, env.Kind, instance, err)
	_, _, err = cfg.Lookup("prod")
	fmt.Println(errors.Is(err, multienv.ErrUnknownEnvironment))
	fmt.Println(err)
	// Output:
	// sbx sandbox 42 <nil>
	// true
	// "prod" is not a declared environment; allowed: devops, sbx, sbx-<id>, tst, stg, prd; did you mean "prd"?
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
name = "prd"
kind = "prod"
[[rules]]
name = "local"
groups = ["local"]
default = "dev"
`))
	fmt.Println(errors.Is(err, multienv.ErrInvalidConfig))
	var ce *multienv.ConfigError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// true
	// multienv.toml:5:1: envs[0].colour: unknown key "colour"; expected one of: allow, description, emoji, instances, kind, name, values
	// multienv.toml:8:8: envs[1].kind: "prod" is not one of: devops, sandbox, workload, production; did you mean "production"?
	// multienv.toml:12:11: rules[0].default: default "dev" is not a declared environment; declared: sbx, prd
}

// Detect is what a service calls at start-up. It reads the process: here
// the configuration is named by MULTIENV_CONFIG, the runtime forced to
// local and the environment picked by USER_ENV_NAME, as a developer's
// shell would; the example sets them and puts them back.
func ExampleDetect() {
	dir, _ := os.MkdirTemp("", "multienv-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "multienv.toml")
	os.WriteFile(path, []byte(`version = 1
[[envs]]
name = "sbx"
kind = "sandbox"
instances = true
[[envs]]
name = "prd"
kind = "production"
[[rules]]
name = "laptop"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"
[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["ENV_NAME"]
`), 0o644)
	defer setenv("MULTIENV_CONFIG", path)()
	defer setenv("USER_RUNTIME_NAME", "local")()
	defer setenv("USER_ENV_NAME", "sbx-101")()

	res, err := multienv.Detect()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.ID, res.Env.Name, res.Instance, res.Env.Kind, res.Runtime, res.Source)
	// Output: sbx-101 sbx 101 sandbox local USER_ENV_NAME
}

// setenv sets a variable and returns what puts it back.
func setenv(name, value string) func() {
	old, was := os.LookupEnv(name)
	os.Setenv(name, value)
	return func() {
		if was {
			os.Setenv(name, old)
		} else {
			os.Unsetenv(name)
		}
	}
}

// Load reads a file; one that is missing wraps fs.ErrNotExist.
func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "multienv-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "multienv.toml")
	os.WriteFile(path, multienvDefault(), 0o644)

	cfg, err := multienv.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(cfg.Environments()), "environments,", len(cfg.Rules()), "rules")

	_, err = multienv.Load(filepath.Join(dir, "missing.toml"))
	fmt.Println(errors.Is(err, multienv.ErrInvalidConfig), errors.Is(err, fs.ErrNotExist))
	// Output:
	// 5 environments, 2 rules
	// true true
}

// multienvDefault is the embedded default's text, as a user would copy it.
func multienvDefault() []byte { return examples.Default() }

// Default is the seed's recommended setup: laptops default to sbx, CI
// jobs and applications must name their environment.
func ExampleDefault() {
	cfg, err := multienv.Default()
	if err != nil {
		panic(err)
	}
	for _, e := range cfg.Environments() {
		fmt.Println(e.Emoji, e.Name, e.Kind, e.Instances)
	}
	for _, r := range cfg.Rules() {
		fmt.Println(r.Name, r.Groups, r.From, r.Default)
	}
	// Output:
	// 🔧 devops devops false
	// 📦 sbx sandbox true
	// 🧪 tst workload false
	// 🎸 stg workload false
	// 🏭 prd production false
	// local [local] [USER_ENV_NAME] sbx
	// deployed [ci app] [USER_ENV_NAME ENV_NAME]
}

// Explain returns every step: the runtime and the signal that matched,
// each rule and the variables it read.
func ExampleConfig_Explain() {
	cfg, _ := multienv.Default()
	res, trace, err := cfg.Explain(multienv.EnvInputs(map[string]string{
		"GITLAB_CI": "true", "CI_PROJECT_ID": "42", "ENV_NAME": "tst",
	}))
	if err != nil {
		panic(err)
	}
	fmt.Println("runtime:", trace.Runtime, trace.Group, "by", trace.Signal)
	for _, step := range trace.Rules {
		fmt.Println("rule", step.Rule, "applies:", step.Applies)
		for _, v := range step.Vars {
			fmt.Printf("  %s set=%v %q\n", v.Name, v.Set, v.Value)
		}
	}
	fmt.Println("result:", res.ID, "from", res.Source)
	// Output:
	// runtime: gitlab_ci ci by CI_PROJECT_ID is set
	// rule local applies: false
	// rule deployed applies: true
	//   USER_ENV_NAME set=false ""
	//   ENV_NAME set=true "tst"
	// result: tst from ENV_NAME
}

// A value that names no environment is a *ValueError: the variable, the
// value, what is allowed and the closest.
func ExampleValueError() {
	cfg, _ := multienv.Default()
	_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"CI": "true", "ENV_NAME": "prod"}))
	var ve *multienv.ValueError
	if errors.As(err, &ve) {
		fmt.Println(ve.Variable, ve.Value, ve.Suggestion, errors.Is(err, multienv.ErrUnknownEnvironment))
	}
	// Output: ENV_NAME prod prd true
}

// A CI job or an application that names no environment is a
// *NothingSetError: there is no default outside a laptop.
func ExampleNothingSetError() {
	cfg, _ := multienv.Default()
	_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders"}))
	var ns *multienv.NothingSetError
	if errors.As(err, &ns) {
		fmt.Println(ns.Runtime, ns.Group, ns.Tried)
	}
	fmt.Println(err)
	// Output:
	// aws_lambda app [USER_ENV_NAME ENV_NAME]
	// no environment for runtime aws_lambda (group app): USER_ENV_NAME and ENV_NAME are unset or empty; set one to one of: devops, sbx, sbx-<id>, tst, stg, prd
}

// A file that does not pass the checks is a *ConfigError with every
// problem at its position.
func ExampleConfigError() {
	_, err := multienv.LoadBytes("multienv.toml", []byte("version = 1\n[[envs]]\nname = \"PRD\"\nkind = \"prod\"\n"))
	var ce *multienv.ConfigError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			fmt.Printf("%d:%d %s: %s\n", p.Line, p.Col, p.Path, p.Message)
		}
	}
	fmt.Println(errors.Is(err, multienv.ErrInvalidConfig))
	// Output:
	// 3:8 envs[0].name: "PRD" is not a valid environment name: it must match ^[a-z][a-z0-9]*$
	// 4:8 envs[0].kind: "prod" is not one of: devops, sandbox, workload, production; did you mean "production"?
	// true
}

// A protected environment chosen where its allow admits no one is a
// *ProtectedError: here a laptop asks for production, which the GitHub-flow
// recipe allows only to CI jobs building a release tag and to applications.
func ExampleProtectedError() {
	cfg, err := multienv.Load("examples/github-flow.toml")
	if err != nil {
		panic(err)
	}
	_, err = cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "prd"}))
	var pe *multienv.ProtectedError
	if errors.As(err, &pe) {
		fmt.Println(pe.Env, pe.Runtime, pe.Group, errors.Is(err, multienv.ErrProtected))
		fmt.Println(pe.Allowed)
	}
	// Output:
	// prd local local true
	// [group ci and not a pull request and tag matches "v*" and event tag group app]
}

// A pull request job of the GitHub-flow recipe gets a sandbox of its own,
// made from the pull request's number, and the facts of the build.
func ExampleResult_facts() {
	cfg, _ := multienv.Load("examples/github-flow.toml")
	res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_REF": "refs/pull/123/merge",
		"GITHUB_HEAD_REF": "feature/login", "GITHUB_BASE_REF": "main", "GITHUB_REPOSITORY": "acme/shop",
	}))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.ID, res.Rule, res.PR, res.PRNumber, res.Branch, res.BaseBranch, res.Repo)
	// Output: sbx-pr123 pull_request true 123 feature/login main acme/shop
}

// A service reads the values of the environment it resolved to: [values]
// merged with the environment's own, {id} and {env} filled in.
func ExampleConfig_Values() {
	cfg, err := multienv.Load("examples/github-flow.toml")
	if err != nil {
		panic(err)
	}
	res, _ := cfg.Resolve(multienv.EnvInputs(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders", "ENV_NAME": "prd"}))
	values, err := cfg.Values(res)
	if err != nil {
		panic(err)
	}
	bucket, _ := values.String("bucket")
	replicas, _ := values.Int("replicas")
	host, _ := values.String("db.host")
	port, _ := values.Int("db.port")
	fmt.Println(bucket, replicas, host, port)
	fmt.Println(values.Origin("replicas"), "/", values.Origin("db.port"))
	_, err = values.Int("replica")
	fmt.Println(err, errors.Is(err, multienv.ErrNoValue))
	// Output:
	// acme-prd-assets 6 db.acme.com 5432
	// environment prd / the default
	// value "replica" does not exist; did you mean "replicas"? true
}
