package main

import (
	"fmt"
	"io"

	"github.com/peervoice/peervoice/digest"
)

// damagedDigest (issue 11 §4) says on stderr when answers that could not
// be decrypted were left out of d, which notes it too, and then exits 1 so
// that scripts notice; nil otherwise.
func damagedDigest(stderr io.Writer, d *digest.Digest) error {
	if d.Unreadable == 0 {
		return nil
	}
	fmt.Fprintf(stderr, "peervoice: digest: %d written answer(s) could not be decrypted (damaged rows) and are left out of the quotes; "+
		"the digest's notes say so. Restore the database from a backup to recover them.\n", d.Unreadable)
	return exitError{code: 1}
}
