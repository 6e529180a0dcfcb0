package multienv_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/multienv/multienv"
)

func TestDiff(t *testing.T) {
	root := platformRepo(t)
	shop := filepath.Join(root, "shop", "multienv.toml")
	base := filepath.Join(root, "platform", "multienv.toml")
	cfg, err := multienv.Load(shop)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cfg.Diff("sbx", "prd")
	if err != nil {
		t.Fatal(err)
	}
	// Written from the files of platformRepo: the bucket's {env}, and
	// shop's sbx replicas over the base's default.
	want := []multienv.ValueDiff{
		{Key: "bucket",
			A: multienv.ValueSide{ID: "sbx", Value: "acme-sbx", Origin: "the default in " + base + ", with placeholders filled", File: base},
			B: multienv.ValueSide{ID: "prd", Value: "acme-prd", Origin: "the default in " + base + ", with placeholders filled", File: base}},
		{Key: "replicas",
			A: multienv.ValueSide{ID: "sbx", Value: int64(2), Origin: "environment sbx in " + shop, File: shop},
			B: multienv.ValueSide{ID: "prd", Value: int64(1), Origin: "the default in " + base, File: base}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("diff %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	if same, err := cfg.Diff("sbx", "sbx-7"); err != nil || len(same) != 0 {
		t.Errorf("sbx and sbx-7: got %v, %v; want no difference", same, err)
	}
	_, err = cfg.Diff("sbx", "prod")
	var ve *multienv.ValueError
	if !errors.As(err, &ve) || ve.Suggestion != "prd" {
		t.Errorf("got %v; want a *ValueError suggesting prd", err)
	}
}
