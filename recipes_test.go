package multienv_test

import (
	"errors"
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
			res, err := cfg.Resolve(multienv.EnvFacts(tc.env))
			switch {
			case tc.err != nil && !errors.Is(err, tc.err):
				t.Fatalf("got %q, %v; want an error matching %v", res.ID, err, tc.err)
			case tc.err == nil && err != nil:
				t.Fatalf("got %v; want %s", err, tc.id)
			case tc.err == nil && (res.ID != tc.id || res.Rule != tc.rule):
				t.Fatalf("got %s by rule %s; want %s by rule %s", res.ID, res.Rule, tc.id, tc.rule)
			}
		})
	}
}

func TestRecipeGitHubFlow(t *testing.T) {
	runRecipe(t, "examples/github-flow.toml", []recipeCase{
		{"pull request", github("pull_request", "refs/pull/123/merge", map[string]string{
			"GITHUB_HEAD_REF": "feature/login", "GITHUB_BASE_REF": "main", "GITHUB_REF_NAME": "123/merge"}), "sbx-pr123", nil, "pull_request"},
		{"push to main", github("push", "refs/heads/main", map[string]string{"GITHUB_REF_NAME": "main"}), "stg", nil, "main"},
		{"release tag", github("push", "refs/tags/v1.4.0", map[string]string{"GITHUB_REF_NAME": "v1.4.0", "GITHUB_REF_TYPE": "tag"}), "prd", nil, "release"},
		{"feature branch", github("push", "refs/heads/feature/Login-Page", map[string]string{"GITHUB_REF_NAME": "feature/Login-Page"}),
			"sbx-featureloginpage", nil, "branch"},
		{"a tag that is no release", github("push", "refs/tags/nightly", nil), "", multienv.ErrNothingSet, ""},
		{"laptop", map[string]string{}, "sbx", nil, "laptop"},
		{"laptop, a sandbox asked for", map[string]string{"USER_ENV_NAME": "sbx-7"}, "sbx-7", nil, "laptop"},
		{"laptop asking for production", map[string]string{"USER_ENV_NAME": "prd"}, "", multienv.ErrProtected, ""},
		{"pull request asking for production", github("pull_request", "refs/pull/9/merge", map[string]string{
			"GITHUB_HEAD_REF": "fix", "USER_ENV_NAME": "prd"}), "", multienv.ErrProtected, ""},
		{"scheduled job told production", github("schedule", "refs/heads/develop", map[string]string{"ENV_NAME": "prd"}),
			"sbx-develop", nil, "branch"},
		{"workflow on no branch told production", github("repository_dispatch", "", map[string]string{"ENV_NAME": "prd"}),
			"", multienv.ErrProtected, ""},
		{"application told production", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders", "ENV_NAME": "prd"}, "prd", nil, "deployed"},
		// A laptop that forces an application's runtime is no application:
		// a forced runtime satisfies no table of allow.
		{"laptop forcing aws_lambda, asking for production", map[string]string{"USER_RUNTIME_NAME": "aws_lambda", "USER_ENV_NAME": "prd"},
			"", multienv.ErrProtected, ""},
		// A CI job in a Kubernetes pod is a CI job, not an application.
		{"CI job in a Kubernetes pod told production", map[string]string{"CI": "true", "KUBERNETES_SERVICE_HOST": "10.96.0.1",
			"KUBERNETES_SERVICE_PORT": "443", "ENV_NAME": "prd"}, "", multienv.ErrProtected, ""},
		// A pull request from a branch named main, whose number is not in
		// the ref (pull_request_target builds the base): not staging.
		{"pull request from a branch named main", github("pull_request_target", "refs/heads/main", map[string]string{
			"GITHUB_HEAD_REF": "main", "GITHUB_BASE_REF": "main"}), "sbx-main", nil, "branch"},
	})
}

func TestRecipeGitLab(t *testing.T) {
	runRecipe(t, "examples/gitlab.toml", []recipeCase{
		{"merge request", gitlab(map[string]string{"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_ID": "88123",
			"CI_MERGE_REQUEST_IID": "42", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature/x",
			"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_COMMIT_REF_NAME": "feature/x"}), "sbx-mr42", nil, "merge_request"},
		{"default branch", gitlab(map[string]string{"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_COMMIT_REF_NAME": "main"}),
			"stg", nil, "default_branch"},
		{"release tag", gitlab(map[string]string{"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_TAG": "v2.0.0", "CI_COMMIT_REF_NAME": "v2.0.0"}),
			"prd", nil, "release"},
		{"other branch told production", gitlab(map[string]string{"CI_COMMIT_BRANCH": "hotfix", "CI_COMMIT_REF_NAME": "hotfix", "ENV_NAME": "prd"}),
			"", multienv.ErrProtected, ""},
		{"laptop asking for production", map[string]string{"USER_ENV_NAME": "prd"}, "", multienv.ErrProtected, ""},
		{"application told production", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "shop", "ENV_NAME": "prd"}, "prd", nil, "deployed"},
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
	res, err := cfg.Resolve(multienv.EnvFacts(github("push", "refs/tags/v1.0.0", map[string]string{"USER_ENV_NAME": "prd"})))
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
			res, err := cfg.Resolve(multienv.EnvFacts(tc.env))
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
