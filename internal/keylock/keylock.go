// Package keylock provides a mutex per key (a person, a session), kept
// only while someone holds or waits for it, so nobody waits for another
// key's holder as they would with a fixed set of shared stripes.
// It imports no other PeerVoice package.
package keylock

import "sync"

// Locks is a set of mutexes by key. The zero value is ready to use.
type Locks struct {
	mu sync.Mutex
	m  map[string]*entry
}

type entry struct {
	sync.Mutex
	users int
}

// Lock locks key and returns the function that unlocks it.
func (k *Locks) Lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*entry{}
	}
	e := k.m[key]
	if e == nil {
		e = &entry{}
		k.m[key] = e
	}
	e.users++
	k.mu.Unlock()
	e.Lock()
	return func() {
		e.Unlock()
		k.mu.Lock()
		if e.users--; e.users == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}

// Len returns how many keys are held or waited for.
func (k *Locks) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.m)
}
