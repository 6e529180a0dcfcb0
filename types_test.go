package multienv

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/multienv/multienv/config"
)

// Each user-facing type is made from a type of config or of the engine by
// one conversion. A field the source type gains must reach the front door,
// or be written here as left out on purpose; a field of the front door that
// no source has must be written here as made from others. (The error types
// are converted by a Go conversion: the compiler holds them to the
// engine's.)
var (
	leftOut = map[string]string{
		"config.Env.Allow":      "Protected says whether there is one; Config.Allow describes it",
		"config.Env.Values":     "Config.Values merges them",
		"config.Env.ValueFiles": "Values.File",
		"config.Rule.Template":  "Default, parsed",
	}
	madeFromOthers = map[string]string{
		"multienv.Environment.Protected": "whether config.Env.Allow is empty",
		"multienv.Problem.Severity":      "which list of problems it is in",
	}
)

// conversions are the conversions of the front door, each from a source
// filled by fillFields.
var conversions = []struct {
	from    any
	convert func(from any) any
}{
	{config.Env{}, func(x any) any { return environmentOf(x.(config.Env)) }},
	{config.Runtime{}, func(x any) any { return runtimeOf(x.(config.Runtime)) }},
	{config.Rule{}, func(x any) any { return ruleOf(x.(config.Rule)) }},
	{config.Problem{}, func(x any) any { return problemsOf([]config.Problem{x.(config.Problem)}, SeverityError)[0] }},
}

// nested are the struct types fillFields fills inside another: those the front
// door converts field by field.
var nested = map[reflect.Type]bool{
	reflect.TypeFor[config.Env](): true,
}

func TestEveryFieldReachesTheFrontDoor(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range conversions {
		src := reflect.New(reflect.TypeOf(c.from)).Elem()
		fillFields(src, "")
		front := reflect.ValueOf(c.convert(src.Interface()))
		for _, problem := range carried(src, front, seen) {
			t.Error(problem)
		}
	}
	for _, table := range []map[string]string{leftOut, madeFromOthers} {
		for key := range table {
			if !seen[key] {
				t.Errorf("%s is listed, but no type has such a field", key)
			}
		}
	}
}

// carried finds a field the front door lacks, a field it has and a
// conversion forgot, a field copied into another, and a field made from
// nothing.
func TestCarriedCanFail(t *testing.T) {
	type source struct {
		Name, Owner string
		Tags        []string
	}
	src := reflect.New(reflect.TypeFor[source]()).Elem()
	fillFields(src, "")
	tests := []struct {
		name  string
		front any
		want  int
	}{
		{"all carried", struct {
			Name, Owner string
			Tags        []string
		}{"Name", "Owner", []string{"Tags"}}, 0},
		{"a field the front door lacks", struct {
			Name string
			Tags []string
		}{"Name", []string{"Tags"}}, 1},
		{"a field forgotten", struct {
			Name, Owner string
			Tags        []string
		}{Name: "Name", Tags: []string{"Tags"}}, 1},
		{"a field copied into another", struct {
			Name, Owner string
			Tags        []string
		}{"Owner", "Owner", []string{"Tags"}}, 1},
		{"a slice forgotten", struct {
			Name, Owner string
			Tags        []string
		}{Name: "Name", Owner: "Owner"}, 1},
		{"a field from nowhere", struct {
			Name, Owner, Team string
			Tags              []string
		}{"Name", "Owner", "Team", []string{"Tags"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := carried(src, reflect.ValueOf(tt.front), map[string]bool{}); len(got) != tt.want {
				t.Errorf("problems %q, want %d", got, tt.want)
			}
		})
	}
}

// fillFields sets every field of v that holds plain data (text, numbers,
// booleans, and slices and arrays of them) to a value that is not zero,
// and descends into the nested structs; what the conversions describe as
// text (signals, conditions, sources) stays zero.
func fillFields(v reflect.Value, name string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(name)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int:
		v.SetInt(3)
	case reflect.Uint8:
		v.SetUint(1)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fillFields(v.Field(i), f.Name)
			}
		}
	case reflect.Pointer:
		if nested[v.Type().Elem()] {
			v.Set(reflect.New(v.Type().Elem()))
			fillFields(v.Elem(), name)
		}
	case reflect.Slice:
		if plain(v.Type().Elem()) || nested[v.Type().Elem()] {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			fillFields(v.Index(0), name)
		}
	case reflect.Array:
		if plain(v.Type().Elem()) {
			for i := range v.Len() {
				fillFields(v.Index(i), fmt.Sprint(name, i))
			}
		}
	}
}

func plain(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Uint8:
		return true
	}
	return false
}

// carried compares src, filled, with front, made from it, field by field,
// and says what did not arrive. It records in seen the fields listed in
// leftOut and madeFromOthers.
func carried(src, front reflect.Value, seen map[string]bool) []string {
	var problems []string
	for i := range src.NumField() {
		f := src.Type().Field(i)
		key := src.Type().String() + "." + f.Name
		if !f.IsExported() || leftOut[key] != "" {
			seen[key] = true
			continue
		}
		to, ok := front.Type().FieldByName(f.Name)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s has no field %s of %s", front.Type(), f.Name, src.Type()))
			continue
		}
		problems = append(problems, same(src.Field(i), front.FieldByIndex(to.Index), key, seen)...)
	}
	for i := range front.NumField() {
		f := front.Type().Field(i)
		key := front.Type().String() + "." + f.Name
		if _, ok := src.Type().FieldByName(f.Name); !ok && f.IsExported() {
			if seen[key] = true; madeFromOthers[key] == "" {
				problems = append(problems, fmt.Sprintf("%s has a field %s that %s lacks", front.Type(), f.Name, src.Type()))
			}
		}
	}
	return problems
}

// same says how to, the field of the front door, differs from from, the
// field of the source: by value for plain data, field by field for the
// nested structs, and else by being zero when from is not.
func same(from, to reflect.Value, key string, seen map[string]bool) []string {
	switch {
	case from.IsZero():
		return nil
	case from.Kind() == reflect.Pointer && to.Kind() == reflect.Pointer && !to.IsNil():
		return same(from.Elem(), to.Elem(), key, seen)
	case from.Kind() == reflect.Struct && to.Kind() == reflect.Struct:
		return carried(from, to, seen)
	case from.Kind() == reflect.Slice && to.Kind() == reflect.Slice && to.Len() == from.Len():
		var problems []string
		for i := range from.Len() {
			problems = append(problems, same(from.Index(i), to.Index(i), key, seen)...)
		}
		return problems
	case plain(from.Type()) && plain(to.Type()):
		if fmt.Sprint(from.Interface()) != fmt.Sprint(to.Interface()) {
			return []string{fmt.Sprintf("%s: %v arrives as %v", key, from.Interface(), to.Interface())}
		}
		return nil
	case to.IsZero():
		return []string{fmt.Sprintf("%s: %v arrives as nothing", key, from.Interface())}
	}
	return nil
}

// A problem says its severity: an error of a file that does not load, a
// warning of one that does (here an environment no rule can reach).
func TestProblemSeverity(t *testing.T) {
	const file = "version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n\n" +
		"[[rules]]\nname = \"r\"\ngroups = [\"local\", \"ci\", \"app\"]\ndefault = \"sbx\"\n"
	cfg, err := LoadBytes("m.toml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	warnings := cfg.Warnings()
	if len(warnings) == 0 {
		t.Fatal("no warning; want one for prd, which no rule reaches")
	}
	for _, w := range warnings {
		if w.Severity != "warning" {
			t.Errorf("warning %v: severity %q, want \"warning\"", w, w.Severity)
		}
	}
	_, err = LoadBytes("m.toml", []byte("version = 2\n"))
	ce, ok := err.(*ConfigError)
	if !ok || len(ce.Problems) == 0 {
		t.Fatalf("error %v, want a *ConfigError with problems", err)
	}
	for _, p := range ce.Problems {
		if p.Severity != "error" {
			t.Errorf("problem %v: severity %q, want \"error\"", p, p.Severity)
		}
	}
}
