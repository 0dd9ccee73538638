package keylock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/keylock"
)

func TestLocksExcludePerKeyOnly(t *testing.T) {
	var k keylock.Locks
	unlockA := k.Lock("a")
	// Another key is free at once.
	done := make(chan struct{})
	go func() { k.Lock("b")(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("key b waited for key a")
	}
	// The same key waits.
	got := make(chan struct{})
	go func() { k.Lock("a")(); close(got) }()
	select {
	case <-got:
		t.Fatal("a second Lock(a) did not wait")
	case <-time.After(50 * time.Millisecond):
	}
	unlockA()
	<-got
	if n := k.Len(); n != 0 {
		t.Errorf("Len() = %d after every unlock; want 0 (entries are freed)", n)
	}
}

func TestLocksCount(t *testing.T) {
	var k keylock.Locks
	var wg sync.WaitGroup
	counter := 0
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer k.Lock("same")()
			counter++
		}()
	}
	wg.Wait()
	if counter != 100 {
		t.Errorf("counter = %d; want 100", counter)
	}
}
