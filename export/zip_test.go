package export

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// TestParallelDeflate checks that the chunks joined in order inflate to
// the input, whatever its size against the chunk size.
func TestParallelDeflate(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	words := []string{"recovery ", "<c r=\"A1\" t=\"inlineStr\"><is><t>", "P0001", "</t></is></c>", "agree ", "\n"}
	for _, size := range []int{0, 1, 1000, chunkSize - 1, chunkSize, chunkSize + 1, 7*chunkSize + 12345} {
		var in bytes.Buffer
		for in.Len() < size {
			if rnd.IntN(10) == 0 {
				in.WriteByte(byte(rnd.IntN(256))) // some noise
			} else {
				in.WriteString(words[rnd.IntN(len(words))])
			}
		}
		in.Truncate(size)
		var out bytes.Buffer
		w := newParallelDeflate(&out)
		// Write in uneven pieces, as io.Copy and excelize do.
		data := in.Bytes()
		for len(data) > 0 {
			n := min(len(data), 1+rnd.IntN(100000))
			if _, err := w.Write(data[:n]); err != nil {
				t.Fatal(err)
			}
			data = data[n:]
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(flate.NewReader(&out))
		if err != nil {
			t.Fatalf("size %d: inflate: %v", size, err)
		}
		if !bytes.Equal(got, in.Bytes()) {
			t.Errorf("size %d: inflated %d bytes that differ from the input", size, len(got))
		}
		if size > chunkSize && out.Len() > size/2 {
			t.Errorf("size %d: compressed to %d bytes; want far fewer", size, out.Len())
		}
	}
}

// TestParallelDeflateWriteError checks that a failing destination fails
// the stream.
func TestParallelDeflateWriteError(t *testing.T) {
	w := newParallelDeflate(&failingWriter{n: 10})
	data := bytes.Repeat([]byte("abc"), 3*chunkSize)
	_, err := w.Write(data)
	if err == nil {
		err = w.Close()
	}
	if !errors.Is(err, errDisk) {
		t.Errorf("writing to a failing destination = %v; want %v", err, errDisk)
	}
}
