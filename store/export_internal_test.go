package store

import (
	"reflect"
	"testing"
	"time"
)

func TestParseTimeFast(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 3, 2, 10, 4, 5, 123456789, time.UTC),
		time.Date(2024, 2, 29, 23, 59, 59, 999999999, time.UTC),
		time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		s := formatTime(tm)
		got, err := parseTimeFast([]byte(s))
		if err != nil || !got.Equal(tm) || got.Location() != time.UTC {
			t.Errorf("parseTimeFast(%q) = %v, %v; want %v", s, got, err, tm)
		}
	}
	for _, bad := range []string{"", "2026-02-31T00:00:00.000000000Z", "2026-13-01T00:00:00.000000000Z", "2026-01-01T00:00:00.00000000xZ", "yesterday"} {
		if got, err := parseTimeFast([]byte(bad)); err == nil {
			t.Errorf("parseTimeFast(%q) = %v; want an error", bad, got)
		}
	}
}

func TestInternChoices(t *testing.T) {
	var in interner
	tests := []struct {
		in   string
		want []string
	}{
		{`["agree"]`, []string{"agree"}},
		{`["a","b","c"]`, []string{"a", "b", "c"}},
		{`[]`, []string{}},
		{`["a", "b"]`, []string{"a", "b"}},       // spaces: encoding/json
		{`["say \"hi\""]`, []string{`say "hi"`}}, // escapes: encoding/json
		{`["a,b"]`, []string{"a,b"}},             // a comma inside: encoding/json
	}
	for _, tt := range tests {
		got, err := in.choices([]byte(tt.in))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("choices(%s) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`["a"`, `[a]`, `{}`} {
		if got, err := in.choices([]byte(bad)); err == nil {
			t.Errorf("choices(%s) = %q; want an error", bad, got)
		}
	}
	if a, b := in.get([]byte("agree")), in.get([]byte("agree")); a != b || len(in) == 0 {
		t.Errorf("interner does not keep values")
	}
}
