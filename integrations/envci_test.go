package integrations_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
)

// The differential test against semantic-release's env-ci, the npm library
// most release tooling reads CI variables with. testdata/envci/jobs.json
// holds job environments written from each vendor's documentation;
// TestEnvCI runs env-ci itself and multienv's catalog (through the library,
// on the same injected environment) on each, and compares every CI fact.
// Each difference must be in the reviewed table testdata/envci/review.json
// with its reason, and every entry there must still occur: the table is
// the list of the two libraries' differences, kept true by this test.
//
// env-ci is installed by .ci/run; the directory holding its node_modules
// reaches the test as MULTIENV_TEST_ENVCI:
//
//	d=$(mktemp -d) && npm install --prefix "$d" env-ci@11.2.0 &&
//	MULTIENV_TEST_ENVCI=$d go test ./integrations -run TestEnvCI -v

// envciFields are the facts compared, in the order they are reported.
var envciFields = []string{"pr", "pr_number", "branch", "base_branch", "tag", "commit", "build", "build_url", "repo"}

// envciJob is one job of jobs.json: the environment a vendor documents
// for one kind of build, the runtime multienv must detect and the service
// env-ci must. Files are written to the job's directory, whose path
// replaces {dir} in the values of Env (GitHub's event payload).
type envciJob struct {
	Name    string                     `json:"name"`
	Runtime string                     `json:"runtime"`
	Service string                     `json:"service"`
	Doc     string                     `json:"doc"`
	Env     map[string]string          `json:"env"`
	Files   map[string]json.RawMessage `json:"files"`
}

// envciDifference is one reviewed difference: on job, field is multienv
// in multienv and envci in env-ci, for reason. Kind is "choice" when both
// read a documented variable for the fact and the catalog chooses another
// one on purpose (the README says which and why), "env-ci" when env-ci
// reads no documented variable for it, reads one the vendor documents
// otherwise, or does not tell the build's kind apart, and "multienv" when
// the catalog leaves the fact unknown on purpose.
type envciDifference struct {
	Job      string `json:"job"`
	Field    string `json:"field"`
	Multienv string `json:"multienv"`
	EnvCI    string `json:"envci"`
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
}

// envciReview is review.json: the env-ci services no job covers, each
// with the reason, and the reviewed differences.
type envciReview struct {
	Uncovered []struct {
		Service string `json:"service"`
		Reason  string `json:"reason"`
	} `json:"uncovered"`
	Differences []envciDifference `json:"differences"`
}

// envciResult is what run.mjs prints of env-ci's answer for one job.
type envciResult struct {
	Name     string `json:"name"`
	Error    string `json:"error"`
	Service  string `json:"service"`
	IsPR     bool   `json:"isPr"`
	PR       string `json:"pr"`
	Branch   string `json:"branch"`
	PRBranch string `json:"prBranch"`
	Tag      string `json:"tag"`
	Commit   string `json:"commit"`
	Build    string `json:"build"`
	BuildURL string `json:"buildUrl"`
	Slug     string `json:"slug"`
}

func readJSON(t *testing.T, rel string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(readRepoFile(t, rel)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

func envciTables(t *testing.T) ([]envciJob, envciReview) {
	t.Helper()
	var jobs []envciJob
	var review envciReview
	readJSON(t, "integrations/testdata/envci/jobs.json", &jobs)
	readJSON(t, "integrations/testdata/envci/review.json", &review)
	return jobs, review
}

// TestEnvCITables checks the two tables themselves, without env-ci: each
// job names a catalog runtime and its documentation, and each reviewed
// difference names a job and a field, with a kind and a reason.
func TestEnvCITables(t *testing.T) {
	jobs, review := envciTables(t)
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	runtimes := map[string]bool{}
	for _, rt := range cfg.Runtimes() {
		runtimes[rt.Name] = true
	}
	names := map[string]bool{}
	for _, j := range jobs {
		if names[j.Name] {
			t.Errorf("job %s: listed twice", j.Name)
		}
		names[j.Name] = true
		if !strings.HasPrefix(j.Name, j.Runtime+"/") || !runtimes[j.Runtime] {
			t.Errorf("job %s: runtime %q is not a catalog runtime that prefixes the job's name", j.Name, j.Runtime)
		}
		if j.Service == "" || len(j.Env) == 0 {
			t.Errorf("job %s: no env-ci service or no environment", j.Name)
		}
		if !strings.HasPrefix(j.Doc, "https://") {
			t.Errorf("job %s: doc %q is not the vendor's documentation URL", j.Name, j.Doc)
		}
	}
	seen := map[string]bool{}
	for _, d := range review.Differences {
		key := d.Job + " " + d.Field
		if seen[key] {
			t.Errorf("difference %s: listed twice", key)
		}
		seen[key] = true
		if !names[d.Job] {
			t.Errorf("difference %s: no job %s", key, d.Job)
		}
		if !slices.Contains(envciFields, d.Field) {
			t.Errorf("difference %s: field %q is none of %v", key, d.Field, envciFields)
		}
		if d.Multienv == d.EnvCI {
			t.Errorf("difference %s: the two values are the same, %q", key, d.Multienv)
		}
		if !slices.Contains([]string{"choice", "env-ci", "multienv"}, d.Kind) {
			t.Errorf("difference %s: kind %q is none of choice, env-ci, multienv", key, d.Kind)
		}
		if len(d.Reason) < 20 {
			t.Errorf("difference %s: reason %q says too little", key, d.Reason)
		}
	}
	for _, u := range review.Uncovered {
		if u.Service == "" || len(u.Reason) < 20 {
			t.Errorf("uncovered service %q: no reason", u.Service)
		}
		for _, j := range jobs {
			if j.Service == u.Service {
				t.Errorf("uncovered service %s: job %s covers it", u.Service, j.Name)
			}
		}
	}
}

// TestEnvCIChoicesInREADME: each difference of kind choice is explained in
// the README's section on env-ci, by the runtime's name and the fact.
func TestEnvCIChoicesInREADME(t *testing.T) {
	_, review := envciTables(t)
	readme := readRepoFile(t, "README.md")
	begin, end := strings.Index(readme, "<!-- env-ci:begin -->"), strings.Index(readme, "<!-- env-ci:end -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md: no <!-- env-ci:begin --> ... <!-- env-ci:end --> section")
	}
	section := readme[begin:end]
	for _, d := range review.Differences {
		if d.Kind != "choice" {
			continue
		}
		rt, _, _ := strings.Cut(d.Job, "/")
		found := false
		for _, line := range strings.Split(section, "\n") {
			if strings.Contains(line, "`"+rt+"`") && strings.Contains(line, "`"+d.Field+"`") {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README.md's env-ci section has no line naming `%s` and `%s` (difference on %s: %s)", rt, d.Field, d.Job, d.Reason)
		}
	}
}

// envciRun runs run.mjs on jobs, each with its environment of envs in a
// directory of its own under dir, and returns env-ci's version, services
// and answers.
func envciRun(t *testing.T, node, envciDir, dir string, jobs []envciJob, envs []map[string]string) (string, []string, []envciResult) {
	t.Helper()
	type input struct {
		Name string            `json:"name"`
		Env  map[string]string `json:"env"`
		Cwd  string            `json:"cwd"`
	}
	in := make([]input, len(jobs))
	for i, j := range jobs {
		in[i] = input{Name: j.Name, Env: envs[i], Cwd: jobDir(dir, i)}
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(repoRoot(t), "integrations", "testdata", "envci", "run.mjs"), envciDir)
	cmd.Dir = dir
	// env-ci runs git in the job's directory for some vendors (CodeBuild,
	// Jenkins, Semaphore, TeamCity): the ceiling keeps it from finding a
	// repository above, and no configuration outside dir is read.
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"GIT_CEILING_DIRECTORIES=" + dir,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
	}
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node run.mjs: %v\n%s", err, stderr.String())
	}
	var out struct {
		Version  string        `json:"version"`
		Services []string      `json:"services"`
		Jobs     []envciResult `json:"jobs"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("node run.mjs: %v\n%s", err, stdout.String())
	}
	if len(out.Jobs) != len(jobs) {
		t.Fatalf("node run.mjs: %d answers for %d jobs", len(out.Jobs), len(jobs))
	}
	return out.Version, out.Services, out.Jobs
}

func jobDir(dir string, i int) string { return filepath.Join(dir, "job"+strconv.Itoa(i)) }

// jobEnv writes the job's files to its directory and returns its
// environment, {dir} replaced, and ENV_NAME set so that multienv's
// embedded default resolves in CI (env-ci reads no ENV_NAME).
func jobEnv(t *testing.T, j envciJob, dir string, i int) map[string]string {
	t.Helper()
	d := jobDir(dir, i)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range j.Files {
		if err := os.WriteFile(filepath.Join(d, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"ENV_NAME": "stg"}
	for k, v := range j.Env {
		if k == "ENV_NAME" {
			t.Fatalf("job %s sets ENV_NAME itself", j.Name)
		}
		env[k] = strings.ReplaceAll(v, "{dir}", d)
	}
	return env
}

// envciFacts translates env-ci's answer into multienv's facts. env-ci's
// branch is, on a pull request, the branch it targets, and its prBranch
// the branch built; multienv's branch is the branch built, its
// base_branch the branch targeted.
func envciFacts(r envciResult) map[string]string {
	f := map[string]string{
		"pr": strconv.FormatBool(r.IsPR), "pr_number": r.PR, "branch": r.Branch, "base_branch": "",
		"tag": r.Tag, "commit": r.Commit, "build": r.Build, "build_url": r.BuildURL, "repo": r.Slug,
	}
	if r.IsPR {
		f["branch"], f["base_branch"] = r.PRBranch, r.Branch
	}
	return f
}

// jobFacts are a job's variables, with the front door's reader of the
// vendor's event payload file for files under dir only: a job names its
// payload by {dir}, and the test reads nothing outside its directory.
func jobFacts(env map[string]string, dir string) multienv.Inputs {
	f := multienv.EnvInputs(env)
	f.ReadPayload = func(path string) ([]byte, error) {
		if rel, err := filepath.Rel(dir, path); err != nil || !filepath.IsLocal(rel) {
			return nil, fmt.Errorf("%s: outside the test's directory", path)
		}
		return multienv.ReadPayloadFile(path)
	}
	return f
}

func multienvFacts(res multienv.Result) map[string]string {
	return map[string]string{
		"pr": strconv.FormatBool(res.PR), "pr_number": res.PRNumber, "branch": res.Branch, "base_branch": res.BaseBranch,
		"tag": res.Tag, "commit": res.Commit, "build": res.Build, "build_url": res.BuildURL, "repo": res.Repo,
	}
}

func TestEnvCI(t *testing.T) {
	envciDir := os.Getenv("MULTIENV_TEST_ENVCI")
	if envciDir == "" {
		t.Skip("MULTIENV_TEST_ENVCI is not set: no env-ci to compare with (.ci/run installs it; see envci_test.go)")
	}
	if _, err := os.Stat(filepath.Join(envciDir, "node_modules", "env-ci", "index.js")); err != nil {
		t.Skipf("MULTIENV_TEST_ENVCI=%s holds no node_modules/env-ci: %v", envciDir, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node, which env-ci runs in")
	}
	jobs, review := envciTables(t)
	dir := t.TempDir()
	envs := make([]map[string]string, len(jobs))
	for i, j := range jobs {
		envs[i] = jobEnv(t, j, dir, i)
	}
	version, services, answers := envciRun(t, node, envciDir, dir, jobs, envs)

	// Every vendor env-ci covers has a job, or a reason why none.
	covered := map[string]bool{}
	for _, j := range jobs {
		covered[j.Service] = true
	}
	for _, u := range review.Uncovered {
		if !slices.Contains(services, u.Service) {
			t.Errorf("review.json: uncovered service %s is not one of env-ci %s's: %v", u.Service, version, services)
		}
		covered[u.Service] = true
	}
	for _, s := range services {
		if !covered[s] {
			t.Errorf("env-ci %s covers %s, which no job of jobs.json covers and review.json does not list as uncovered", version, s)
		}
	}

	reviewed := map[string]envciDifference{}
	for _, d := range review.Differences {
		reviewed[d.Job+" "+d.Field] = d
	}
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	vendors := map[string]bool{}
	matched, explained := 0, 0
	for i, j := range jobs {
		a := answers[i]
		if a.Error != "" || a.Service != j.Service {
			t.Errorf("job %s: env-ci: service %q, error %q; want service %s", j.Name, a.Service, a.Error, j.Service)
			continue
		}
		res, err := cfg.Resolve(jobFacts(envs[i], dir))
		if err != nil {
			t.Errorf("job %s: %v", j.Name, err)
			continue
		}
		if res.Runtime != j.Runtime {
			t.Errorf("job %s: runtime %s, want %s", j.Name, res.Runtime, j.Runtime)
			continue
		}
		vendors[j.Runtime] = true
		ours, theirs := multienvFacts(res), envciFacts(a)
		for _, field := range envciFields {
			key := j.Name + " " + field
			d, listed := reviewed[key]
			if ours[field] == theirs[field] {
				matched++
				if listed { // a difference that no longer occurs
					t.Errorf("job %s: %s is %q in both, but review.json lists a difference (%s)", j.Name, field, ours[field], d.Reason)
				}
				continue
			}
			if !listed {
				t.Errorf("job %s: %s is %q in multienv, %q in env-ci: a difference review.json does not explain\n\tadd: %s",
					j.Name, field, ours[field], theirs[field], reviewEntry(j.Name, field, ours[field], theirs[field]))
				continue
			}
			if d.Multienv != ours[field] || d.EnvCI != theirs[field] {
				t.Errorf("job %s: %s is %q in multienv, %q in env-ci; review.json lists %q and %q (%s)",
					j.Name, field, ours[field], theirs[field], d.Multienv, d.EnvCI, d.Reason)
				continue
			}
			explained++
			t.Logf("%s %s: multienv %q, env-ci %q: %s", j.Name, field, ours[field], theirs[field], d.Reason)
		}
	}
	t.Logf("env-ci %s: %d jobs of %d vendors; %d facts the same, %d differences explained by review.json", version, len(jobs), len(vendors), matched, explained)
}

// reviewEntry is the line to add to review.json for a new difference,
// once its reason is known.
func reviewEntry(job, field, ours, theirs string) string {
	b, _ := json.Marshal(envciDifference{Job: job, Field: field, Multienv: ours, EnvCI: theirs, Kind: "?", Reason: "?"})
	return string(b)
}
