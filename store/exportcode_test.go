package store_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// TestReadExportTags checks that every participant has an export tag, 32
// bytes, distinct, the same in a later read and after the database is
// reopened, and neither the pseudonym nor a hash of it anyone could make
// without the database's key.
func TestReadExportTags(t *testing.T) {
	e := newExportEnv(t)
	var ids []int64
	for i := 0; i < 5; i++ {
		ids = append(ids, e.participant(t, fmt.Sprintf("11111111111111111%d", i), nil))
	}
	h, _ := e.read(t)
	seen := map[string]bool{}
	for i, id := range ids {
		tag := h.Tags[id]
		if len(tag) != 32 || seen[string(tag)] {
			t.Fatalf("participant %d: tag %x; want 32 bytes, distinct", id, tag)
		}
		seen[string(tag)] = true
		pseudonym := e.db.Pseudonym("discord", fmt.Sprintf("11111111111111111%d", i))
		unkeyed := sha256.Sum256([]byte(pseudonym))
		m := hmac.New(sha256.New, []byte(pseudonym))
		if hex.EncodeToString(tag) == pseudonym || bytes.Equal(tag, unkeyed[:]) || bytes.Equal(tag, m.Sum(nil)) {
			t.Errorf("participant %d's tag is the pseudonym or a hash of it without the key", id)
		}
	}
	again, _ := e.read(t)
	for _, id := range ids {
		if !bytes.Equal(again.Tags[id], h.Tags[id]) {
			t.Errorf("participant %d's tag changed between two reads", id)
		}
	}
}

// TestExportTagsSurviveReopen checks that a tag depends on the key file
// alone: the database reopened gives the same tags.
func TestExportTagsSurviveReopen(t *testing.T) {
	path := storetest.Path(t)
	read := func() map[int64][]byte {
		db := storetest.Open(t, path, store.Options{})
		defer db.Close()
		if _, err := db.EnsureParticipant(context.Background(), db.Pseudonym("discord", "222222222222222222")); err != nil {
			t.Fatal(err)
		}
		var tags map[int64][]byte
		if err := db.ReadExport(context.Background(), func(h store.ExportHeader) error { tags = h.Tags; return nil },
			func(store.ExportAnswer) error { return nil }); err != nil {
			t.Fatal(err)
		}
		return tags
	}
	first, second := read(), read()
	if len(first) != 1 || fmt.Sprint(first) != fmt.Sprint(second) {
		t.Errorf("tags before and after reopening: %x, %x; want one, the same", first, second)
	}
}
