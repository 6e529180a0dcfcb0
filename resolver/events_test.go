package resolver

import (
	"testing"

	"github.com/multienv/multienv/config"
)

// eventsConfig declares a CI runtime with fork and event facts, and rules
// and an allow that decide from them.
const eventsConfig = `version = 1
catalog = false

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true

[[envs]]
name = "stg"
kind = "workload"

[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci"], event = ["tag"] }]

[[runtimes]]
name = "forge"
group = "ci"
when = [{ set = ["FORGE"] }]
pr_number = ["FORGE_PR"]
tag = [{ var = "FORGE_REF", pattern = "refs/tags/{**}" }]
branch = [{ var = "FORGE_REF", pattern = "refs/heads/{**}" }]
build_url = [{ compose = "${FORGE_SERVER}/${FORGE_REPO}/runs/${FORGE_RUN}" }]
fork = [
  { differs = ["FORGE_HEAD_REPO", "FORGE_REPO"] },
  { var = "FORGE_FORKED", map = { yes = "true", no = "false" } },
  "FORGE_FORK",
]
event = [{ var = "FORGE_EVENT", map = { commit = "push", review = "pull_request", cron = "schedule" } }, "FORGE_KIND"]

[[runtimes]]
name = "laptop"
group = "local"

[[rules]]
name = "fork"
groups = ["ci"]
when = [{ fork = true }]
default = "sbx-fork{pr_number}"

[[rules]]
name = "same_repository"
groups = ["ci"]
when = [{ fork = false, pr = true }]
default = "sbx-pr{pr_number}"

[[rules]]
name = "release"
groups = ["ci"]
when = [{ event = ["tag"] }]
default = "prd"

[[rules]]
name = "main"
groups = ["ci"]
when = [{ event = ["push"], branch = "main" }]
default = "stg"

[[rules]]
name = "told"
groups = ["ci", "local"]
from = ["ENV_NAME"]
`

func TestForkAndEvent(t *testing.T) {
	cfg, err := config.Parse("events.toml", []byte(eventsConfig))
	if err != nil {
		t.Fatal(err)
	}
	r := New(cfg)
	for _, tc := range []struct {
		name  string
		env   map[string]string
		id    string // "" when resolution fails
		pr    bool
		fork  config.Fork
		event string
	}{
		{"same repository", map[string]string{"FORGE": "1", "FORGE_PR": "7", "FORGE_HEAD_REPO": "acme/app", "FORGE_REPO": "acme/app", "FORGE_EVENT": "review"},
			"sbx-pr7", true, config.SameRepository, "pull_request"},
		{"from a fork", map[string]string{"FORGE": "1", "FORGE_PR": "7", "FORGE_HEAD_REPO": "mallory/app", "FORGE_REPO": "acme/app", "FORGE_EVENT": "review"},
			"sbx-fork7", true, config.FromFork, "pull_request"},
		{"fork from a mapped variable", map[string]string{"FORGE": "1", "FORGE_PR": "7", "FORGE_FORKED": "yes"},
			"sbx-fork7", true, config.FromFork, ""},
		{"a value the fork map lacks is unknown, then the next source", map[string]string{"FORGE": "1", "FORGE_PR": "7", "FORGE_FORKED": "maybe", "FORGE_FORK": "false"},
			"sbx-pr7", true, config.SameRepository, ""},
		{"an unmapped fork value that is not true or false is unknown", map[string]string{"FORGE": "1", "FORGE_PR": "7", "FORGE_FORK": "False", "ENV_NAME": "stg"},
			"stg", true, config.ForkUnknown, ""},
		// Unknown is never false: the rule for pull requests of the same
		// repository does not apply, the number alone makes it a pull request.
		{"unknown fork satisfies neither fork = true nor fork = false", map[string]string{"FORGE": "1", "FORGE_PR": "7", "FORGE_HEAD_REPO": "mallory/app", "ENV_NAME": "stg"},
			"stg", true, config.ForkUnknown, ""},
		{"push of main", map[string]string{"FORGE": "1", "FORGE_EVENT": "commit", "FORGE_REF": "refs/heads/main"},
			"stg", false, config.ForkUnknown, "push"},
		// A fork is a pull request's: a build that is none has no fork
		// fact, whatever a source without pr = true says.
		{"a push has no fork, whatever its variables say", map[string]string{"FORGE": "1", "FORGE_EVENT": "commit", "FORGE_REF": "refs/heads/main", "FORGE_FORK": "false"},
			"stg", false, config.ForkUnknown, "push"},
		{"a push of a tag is the event tag", map[string]string{"FORGE": "1", "FORGE_EVENT": "commit", "FORGE_REF": "refs/tags/v1"},
			"prd", false, config.ForkUnknown, "tag"},
		{"a value the event map lacks is other", map[string]string{"FORGE": "1", "FORGE_EVENT": "deploy", "FORGE_REF": "refs/tags/v1", "ENV_NAME": "stg"},
			"stg", false, config.ForkUnknown, "other"},
		{"an unmapped event source's value that is no event is other", map[string]string{"FORGE": "1", "FORGE_KIND": "nightly", "ENV_NAME": "stg"},
			"stg", false, config.ForkUnknown, "other"},
		{"an unmapped event source's event is itself", map[string]string{"FORGE": "1", "FORGE_KIND": "manual", "ENV_NAME": "stg"},
			"stg", false, config.ForkUnknown, "manual"},
		{"the event pull_request makes a pull request", map[string]string{"FORGE": "1", "FORGE_EVENT": "review", "FORGE_FORK": "false"},
			"", true, config.SameRepository, "pull_request"},
		// prd's allow needs the event tag: a job that names prd otherwise fails.
		{"a scheduled job naming prd is refused", map[string]string{"FORGE": "1", "FORGE_EVENT": "cron", "ENV_NAME": "prd"},
			"", false, config.ForkUnknown, "schedule"},
		{"no event known", map[string]string{"FORGE": "1", "ENV_NAME": "prd"},
			"", false, config.ForkUnknown, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, trace, err := explain(r, Inputs{Lookup: MapLookup(tc.env)})
			if tc.id == "" {
				if err == nil {
					t.Fatalf("got %s; want an error", res.ID)
				}
			} else if err != nil || res.ID != tc.id {
				t.Fatalf("got %q, %v; want %s", res.ID, err, tc.id)
			}
			if err == nil && (res.PR != tc.pr || res.Fork != tc.fork || res.Event != tc.event) {
				t.Errorf("pr %v, fork %v, event %q; want %v, %v, %q", res.PR, res.Fork, res.Event, tc.pr, tc.fork, tc.event)
			}
			if trace.Facts[config.FactEvent] != tc.event {
				t.Errorf("trace event %q, want %q", trace.Facts[config.FactEvent], tc.event)
			}
		})
	}
}

func TestComposedBuildURL(t *testing.T) {
	cfg, err := config.Parse("events.toml", []byte(eventsConfig))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"FORGE": "1", "ENV_NAME": "stg", "FORGE_SERVER": "https://forge.example", "FORGE_REPO": "acme/app", "FORGE_RUN": "9"}
	res, err := resolve(New(cfg), Inputs{Lookup: MapLookup(env)})
	if err != nil || res.BuildURL != "https://forge.example/acme/app/runs/9" {
		t.Errorf("got %q, %v; want https://forge.example/acme/app/runs/9", res.BuildURL, err)
	}
	delete(env, "FORGE_RUN")
	if res, err := resolve(New(cfg), Inputs{Lookup: MapLookup(env)}); err != nil || res.BuildURL != "" {
		t.Errorf("without FORGE_RUN: got %q, %v; want no URL", res.BuildURL, err)
	}
}
