package main_test

import "github.com/peervoice/peervoice/internal/testutil"

// syncBuffer is a buffer safe for a process writing while a test reads.
type syncBuffer = testutil.SyncBuffer
