package multienv_test

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"testing"

	"github.com/multienv/multienv"
)

// The recipes of examples/ resolve realistic job environments as their
// comments say. The variables are those the vendors document for each
// kind of job; the expected ids are the recipes' promises.

// github is what GitHub Actions sets in every job
// (https://docs.github.com/en/actions/reference/variables-reference).
func github(event, ref string, extra map[string]string) map[string]string {
	env := map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_ACTION": "__run", "GITHUB_EVENT_NAME": event,
		"GITHUB_REF": ref, "GITHUB_SHA": "8f3c2a1d9b7e6f5a4c3b2a1908f7e6d5c4b3a291", "GITHUB_REPOSITORY": "acme/shop",
		"GITHUB_RUN_ID": "7301", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_HEAD_REF": "", "GITHUB_BASE_REF": "",
	}
	maps.Copy(env, extra)
	return env
}

// gitlab is what GitLab CI/CD sets in every job
// (https://docs.gitlab.com/ci/variables/predefined_variables/).
func gitlab(extra map[string]string) map[string]string {
	env := map[string]string{
		"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_ID": "4021", "CI_PROJECT_PATH": "acme/shop",
		"CI_COMMIT_SHA": "8f3c2a1d9b7e6f5a4c3b2a1908f7e6d5c4b3a291", "CI_PIPELINE_ID": "991",
		"CI_PIPELINE_URL": "https://gitlab.com/acme/shop/-/pipelines/991",
	}
	maps.Copy(env, extra)
	return env
}

type recipeCase struct {
	name string
	env  map[string]string
	id   string // the id resolved, or empty when err is set
	err  error
	rule string
	// payload, when set, is the event payload file's content
	// (GITHUB_EVENT_PATH).
	payload string
}

// eventPath is where GitHub's runner writes the event payload.
const eventPath = "/home/runner/work/_temp/_github_workflow/event.json"

// prEvent is the payload GitHub documents for an event of a pull request
// (https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request),
// cut to the fields the catalog reads: number, head and base branches and
// repositories.
func prEvent(number int, head, headRepo string) string {
	return fmt.Sprintf(`{"action": "opened", "number": %d, "pull_request": {"number": %d, "state": "open",
 "head": {"ref": %q, "repo": {"full_name": %q}}, "base": {"ref": "main", "repo": {"full_name": "acme/shop"}}},
 "repository": {"full_name": "acme/shop"}}`, number, number, head, headRepo)
}

// withPayload is a job's facts with its event payload file, held in
// memory: "" is no file.
func withPayload(env map[string]string, payload string) multienv.Inputs {
	f := multienv.EnvInputs(env)
	f.ReadPayload = func(path string) ([]byte, error) {
		if payload == "" || path != env["GITHUB_EVENT_PATH"] {
			return nil, fs.ErrNotExist
		}
		return []byte(payload), nil
	}
	return f
}

func runRecipe(t *testing.T, file string, cases []recipeCase) {
	cfg, err := multienv.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.Warnings(); len(w) > 0 {
		t.Errorf("%s: warnings %v", file, w)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := cfg.Resolve(withPayload(tc.env, tc.payload))
			switch {
			case tc.err != nil && !errors.Is(err, tc.err):
				t.Fatalf("got %q, %v; want an error matching %v", res.ID, err, tc.err)
			case tc.err == nil && err != nil:
				t.Fatalf("got %v; want %s", err, tc.id)
			case tc.err == nil && (res.ID != tc.id || res.Rule != tc.rule):
				t.Fatalf("got %s by rule %s; want %s by rule %s", res.ID, res.Rule, tc.id, tc.rule)
			}
			// No job of a pull request reaches a workload or production.
			if err == nil && res.PR && res.Env.Kind != multienv.KindSandbox {
				t.Errorf("a pull request resolved to %s, of kind %s", res.ID, res.Env.Kind)
			}
		})
	}
}

func TestRecipeGitHubFlow(t *testing.T) {
	pr := func(event, ref string, extra map[string]string) map[string]string {
		env := github(event, ref, map[string]string{"GITHUB_HEAD_REF": "feature/login", "GITHUB_BASE_REF": "main", "GITHUB_EVENT_PATH": eventPath})
		maps.Copy(env, extra)
		return env
	}
	// pull_request_target runs in the base repository, on its default
	// branch: GITHUB_REF is refs/heads/main, the head branch a fork's.
	target := pr("pull_request_target", "refs/heads/main", map[string]string{"GITHUB_HEAD_REF": "main"})
	runRecipe(t, "examples/github-flow.toml", []recipeCase{
		{name: "pull request", env: pr("pull_request", "refs/pull/123/merge", map[string]string{"GITHUB_REF_NAME": "123/merge"}),
			id: "sbx-pr123", rule: "pull_request", payload: prEvent(123, "feature/login", "acme/shop")},
		{name: "pull request without its payload file", env: pr("pull_request", "refs/pull/123/merge", nil), id: "sbx-pr123", rule: "pull_request"},
		{name: "a fork's pull request", env: pr("pull_request", "refs/pull/77/merge", map[string]string{"GITHUB_HEAD_REF": "main"}),
			id: "sbx-pr77", rule: "pull_request", payload: prEvent(77, "main", "mallory/shop")},
		{name: "pull_request_target from a fork's main", env: target, id: "sbx-pr7", rule: "pull_request", payload: prEvent(7, "main", "mallory/shop")},
		{name: "pull_request_target from a fork's patch-1", env: pr("pull_request_target", "refs/heads/main", map[string]string{"GITHUB_HEAD_REF": "patch-1"}),
			id: "sbx-pr8", rule: "pull_request", payload: prEvent(8, "patch-1", "mallory/shop")},
		{name: "pull_request_target without its payload: refused", env: target, err: multienv.ErrNothingSet},
		{name: "pull_request_target with a payload that is no JSON: refused", env: target, err: multienv.ErrNothingSet, payload: "{"},
		{name: "pull_request_target asking for staging", env: pr("pull_request_target", "refs/heads/main", map[string]string{"USER_ENV_NAME": "stg"}),
			err: multienv.ErrProtected, payload: prEvent(7, "main", "mallory/shop")},
		{name: "pull_request_target told production", env: pr("pull_request_target", "refs/heads/main", map[string]string{"ENV_NAME": "prd"}),
			id: "sbx-pr7", rule: "pull_request", payload: prEvent(7, "main", "mallory/shop")},
		{name: "a review of a pull request", env: github("pull_request_review", "refs/pull/12/merge", map[string]string{"GITHUB_EVENT_PATH": eventPath}),
			id: "sbx-pr12", rule: "pull_request", payload: prEvent(12, "feature/login", "acme/shop")},
		{name: "push to main", env: github("push", "refs/heads/main", map[string]string{"GITHUB_REF_NAME": "main"}), id: "stg", rule: "main"},
		{name: "release tag", env: github("push", "refs/tags/v1.4.0", map[string]string{"GITHUB_REF_NAME": "v1.4.0", "GITHUB_REF_TYPE": "tag"}),
			id: "prd", rule: "release"},
		{name: "feature branch", env: github("push", "refs/heads/feature/Login-Page", map[string]string{"GITHUB_REF_NAME": "feature/Login-Page"}),
			id: "sbx-featureloginpage", rule: "branch"},
		{name: "a tag that is no release", env: github("push", "refs/tags/nightly", nil), err: multienv.ErrNothingSet},
		{name: "laptop", env: map[string]string{}, id: "sbx", rule: "laptop"},
		{name: "laptop, a sandbox asked for", env: map[string]string{"USER_ENV_NAME": "sbx-7"}, id: "sbx-7", rule: "laptop"},
		{name: "laptop asking for production", env: map[string]string{"USER_ENV_NAME": "prd"}, err: multienv.ErrProtected},
		{name: "pull request asking for production", env: pr("pull_request", "refs/pull/9/merge", map[string]string{"USER_ENV_NAME": "prd"}),
			err: multienv.ErrProtected},
		{name: "pull request asking for another sandbox", env: pr("pull_request", "refs/pull/9/merge", map[string]string{"USER_ENV_NAME": "sbx-demo"}),
			id: "sbx-demo", rule: "pull_request"},
		{name: "scheduled job on main, told nothing", env: github("schedule", "refs/heads/main", nil), err: multienv.ErrNothingSet},
		{name: "scheduled job told staging", env: github("schedule", "refs/heads/main", map[string]string{"ENV_NAME": "stg"}), id: "stg", rule: "told"},
		{name: "scheduled job told production", env: github("schedule", "refs/heads/develop", map[string]string{"ENV_NAME": "prd"}),
			err: multienv.ErrProtected},
		{name: "manual run on main, told nothing", env: github("workflow_dispatch", "refs/heads/main", nil), err: multienv.ErrNothingSet},
		{name: "manual run of a release tag told production", env: github("workflow_dispatch", "refs/tags/v1.4.0", map[string]string{"ENV_NAME": "prd"}),
			err: multienv.ErrProtected},
		{name: "manual run told a sandbox", env: github("workflow_dispatch", "refs/heads/main", map[string]string{"ENV_NAME": "sbx-demo"}),
			id: "sbx-demo", rule: "told"},
		{name: "workflow_run on main, told nothing", env: github("workflow_run", "refs/heads/main", nil), err: multienv.ErrNothingSet},
		{name: "workflow_run told staging", env: github("workflow_run", "refs/heads/main", map[string]string{"ENV_NAME": "stg"}), id: "stg", rule: "told"},
		{name: "issue comment on main, told nothing", env: github("issue_comment", "refs/heads/main", nil), err: multienv.ErrNothingSet},
		{name: "workflow on no branch told production", env: github("repository_dispatch", "", map[string]string{"ENV_NAME": "prd"}),
			err: multienv.ErrProtected},
		{name: "application told production", env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders", "ENV_NAME": "prd"}, id: "prd", rule: "deployed"},
		// A laptop that forces an application's runtime is no application:
		// a forced runtime satisfies no table of allow.
		{name: "laptop forcing aws_lambda, asking for production", env: map[string]string{"USER_RUNTIME_NAME": "aws_lambda", "USER_ENV_NAME": "prd"},
			err: multienv.ErrProtected},
		// A CI job in a Kubernetes pod is a CI job, not an application.
		{name: "CI job in a Kubernetes pod told production", env: map[string]string{"CI": "true", "KUBERNETES_SERVICE_HOST": "10.96.0.1",
			"KUBERNETES_SERVICE_PORT": "443", "ENV_NAME": "prd"}, err: multienv.ErrProtected},
	})
}

func TestRecipeGitLab(t *testing.T) {
	mr := func(extra map[string]string) map[string]string {
		env := gitlab(map[string]string{"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_ID": "88123",
			"CI_MERGE_REQUEST_IID": "42", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature/x", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
			"CI_MERGE_REQUEST_PROJECT_ID": "4021", "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "4021", "CI_COMMIT_REF_NAME": "feature/x"})
		maps.Copy(env, extra)
		return env
	}
	branch := func(source, name string, extra map[string]string) map[string]string {
		env := gitlab(map[string]string{"CI_PIPELINE_SOURCE": source, "CI_COMMIT_BRANCH": name, "CI_COMMIT_REF_NAME": name})
		maps.Copy(env, extra)
		return env
	}
	runRecipe(t, "examples/gitlab.toml", []recipeCase{
		{name: "merge request", env: mr(nil), id: "sbx-mr42", rule: "merge_request"},
		{name: "a fork's merge request, from its main", env: mr(map[string]string{"CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "9173",
			"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "main"}), id: "sbx-mr42", rule: "merge_request"},
		{name: "merge request asking for staging", env: mr(map[string]string{"ENV_NAME": "stg", "USER_ENV_NAME": "stg"}), id: "sbx-mr42", rule: "merge_request"},
		{name: "merge request without its number: refused", env: mr(map[string]string{"CI_MERGE_REQUEST_IID": ""}), err: multienv.ErrNothingSet},
		{name: "a GitHub pull request of an external repository", env: gitlab(map[string]string{"CI_PIPELINE_SOURCE": "external_pull_request_event",
			"CI_EXTERNAL_PULL_REQUEST_IID": "7", "CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME": "main", "CI_EXTERNAL_PULL_REQUEST_TARGET_BRANCH_NAME": "main",
			"CI_EXTERNAL_PULL_REQUEST_SOURCE_REPOSITORY": "mallory/shop", "CI_EXTERNAL_PULL_REQUEST_TARGET_REPOSITORY": "acme/shop",
			"CI_COMMIT_BRANCH": "main", "ENV_NAME": "stg"}), id: "sbx-mr7", rule: "merge_request"},
		{name: "default branch", env: branch("push", "main", nil), id: "stg", rule: "default_branch"},
		{name: "release tag", env: gitlab(map[string]string{"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_TAG": "v2.0.0", "CI_COMMIT_REF_NAME": "v2.0.0"}),
			id: "prd", rule: "release"},
		{name: "scheduled pipeline on main, told nothing", env: branch("schedule", "main", nil), err: multienv.ErrNothingSet},
		{name: "scheduled pipeline told staging", env: branch("schedule", "main", map[string]string{"ENV_NAME": "stg"}), id: "stg", rule: "told"},
		{name: "scheduled pipeline told production", env: branch("schedule", "main", map[string]string{"ENV_NAME": "prd"}), err: multienv.ErrProtected},
		{name: "Run pipeline on a release tag, told production", env: gitlab(map[string]string{"CI_PIPELINE_SOURCE": "web", "CI_COMMIT_TAG": "v2.0.0",
			"ENV_NAME": "prd"}), err: multienv.ErrProtected},
		{name: "Run pipeline on main, told nothing", env: branch("web", "main", nil), err: multienv.ErrNothingSet},
		{name: "triggered pipeline told staging", env: branch("trigger", "main", map[string]string{"ENV_NAME": "stg"}), id: "stg", rule: "told"},
		{name: "child pipeline on main, told nothing", env: branch("parent_pipeline", "main", nil), err: multienv.ErrNothingSet},
		{name: "other branch told production", env: branch("push", "hotfix", map[string]string{"ENV_NAME": "prd"}), err: multienv.ErrProtected},
		{name: "laptop asking for production", env: map[string]string{"USER_ENV_NAME": "prd"}, err: multienv.ErrProtected},
		{name: "application told production", env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "shop", "ENV_NAME": "prd"}, id: "prd", rule: "deployed"},
	})
}

// The embedded default declares no allow and no rule conditions: its
// answers stay the seed's, whatever the facts.
func TestDefaultIgnoresFacts(t *testing.T) {
	cfg := loadDefault(t)
	for _, e := range cfg.Environments() {
		if e.Protected || len(cfg.Allow(e.Name)) > 0 {
			t.Errorf("%s is protected: %v", e.Name, cfg.Allow(e.Name))
		}
	}
	for _, r := range cfg.Rules() {
		if len(r.When) > 0 || multienvTemplate(r.Default) {
			t.Errorf("rule %s has when %v or a template default %q", r.Name, r.When, r.Default)
		}
	}
	res, err := cfg.Resolve(multienv.EnvInputs(github("push", "refs/tags/v1.0.0", map[string]string{"USER_ENV_NAME": "prd"})))
	if err != nil || res.ID != "prd" || res.Tag != "v1.0.0" {
		t.Errorf("got %+v, %v; want prd with tag v1.0.0", res, err)
	}
}

func multienvTemplate(s string) bool {
	for _, c := range s {
		if c == '{' {
			return true
		}
	}
	return false
}

// The GitHub-flow recipe's values, for each environment a job reaches:
// the defaults, merged with the environment's own, placeholders filled.
func TestRecipeGitHubFlowValues(t *testing.T) {
	cfg, err := multienv.Load("examples/github-flow.toml")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		bucket, logLevel, dbHost string
		replicas, dbPort, dbPool int64
		features                 []any
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		id   string
		want want
	}{
		{"pull request", github("pull_request", "refs/pull/123/merge", map[string]string{"GITHUB_HEAD_REF": "x"}), "sbx-pr123",
			want{"acme-sbx-pr123-assets", "debug", "db.sbx.acme.internal", 1, 5432, 5, []any{"search"}}},
		{"laptop", map[string]string{}, "sbx",
			want{"acme-sbx-assets", "debug", "db.sbx.acme.internal", 1, 5432, 5, []any{"search"}}},
		{"push to main", github("push", "refs/heads/main", nil), "stg",
			want{"acme-stg-assets", "info", "db.stg.acme.internal", 2, 5432, 5, []any{"search"}}},
		{"release tag", github("push", "refs/tags/v1.4.0", nil), "prd",
			want{"acme-prd-assets", "warn", "db.acme.com", 6, 5432, 20, []any{"search", "checkout"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := cfg.Resolve(multienv.EnvInputs(tc.env))
			if err != nil || res.ID != tc.id {
				t.Fatalf("resolved %q, %v; want %s", res.ID, err, tc.id)
			}
			v, err := cfg.Values(res)
			if err != nil {
				t.Fatal(err)
			}
			bucket, err1 := v.String("bucket")
			logLevel, err2 := v.String("log_level")
			dbHost, err3 := v.String("db.host")
			replicas, err4 := v.Int("replicas")
			dbPort, err5 := v.Int("db.port")
			dbPool, err6 := v.Int("db.pool")
			features, err7 := v.Get("features")
			if err := errors.Join(err1, err2, err3, err4, err5, err6, err7); err != nil {
				t.Fatal(err)
			}
			got := want{bucket, logLevel, dbHost, replicas, dbPort, dbPool, features.([]any)}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
