package reference

import "testing"

func TestCompiles(t *testing.T) {
	s, err := Compiled()
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	again, _ := Compiled()
	if s != again {
		t.Error("Compiled returned a different schema on the second call")
	}
}
