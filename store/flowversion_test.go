package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/store"
)

func TestFlowVersionImmutable(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	stored, err := f.db.FlowVersion(ctx, f.flow.Hash)
	if err != nil || stored.FlowID != f.flow.FlowID || string(stored.Source) != string(f.flow.Source) || stored.CreatedAt.IsZero() {
		t.Fatalf("FlowVersion() = %+v, %v; want %+v", stored, err, f.flow)
	}
	tests := []struct {
		name string
		v    store.FlowVersion
		want string // "" for success
	}{
		{"same again", f.flow, ""},
		{"different source", store.FlowVersion{Hash: f.flow.Hash, FlowID: f.flow.FlowID, Source: []byte("changed")}, "different source"},
		{"different flow", store.FlowVersion{Hash: f.flow.Hash, FlowID: "other", Source: f.flow.Source}, "different source"},
		{"no hash", store.FlowVersion{FlowID: "x", Source: []byte("x")}, "required"},
		{"no source", store.FlowVersion{Hash: "h2", FlowID: "x"}, "required"},
		{"new version", store.FlowVersion{Hash: "h2", FlowID: f.flow.FlowID, Source: []byte("v2")}, ""},
	}
	for _, tt := range tests {
		err := f.db.SaveFlowVersion(ctx, tt.v)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: SaveFlowVersion() = %v; want %q", tt.name, err, tt.want)
		}
	}
	after, err := f.db.FlowVersion(ctx, f.flow.Hash)
	if err != nil || string(after.Source) != string(f.flow.Source) || !after.CreatedAt.Equal(stored.CreatedAt) {
		t.Errorf("FlowVersion() after attempts = %+v, %v; want unchanged %+v", after, err, stored)
	}
	if _, err := f.db.FlowVersion(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FlowVersion(missing) = %v; want ErrNotFound", err)
	}
}
