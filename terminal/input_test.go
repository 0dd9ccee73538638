package terminal

import (
	"bufio"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// TestReadLine reads lines through a reader's smallest buffer, so long
// lines arrive in many chunks, as they do from a pipe.
func TestReadLine(t *testing.T) {
	fits := strings.Repeat("a", maxLineBytes)
	over := strings.Repeat("é", maxLineBytes/2+1) // two bytes a character
	for _, tc := range []struct {
		name, in string
		want     []line
	}{
		{"lines", "one\ntwo\r\n\nthree\n", []line{{text: "one"}, {text: "two"}, {text: ""}, {text: "three"}}},
		{"unended last line", "one\ntw", []line{{text: "one"}, {text: "tw", partial: true}}},
		{"nothing", "", nil},
		{"longest kept", fits + "\r\nnext\n", []line{{text: fits}, {text: "next"}}},
		{"one byte over", fits + "a\nnext\n", []line{{tooLong: true, runes: maxLineBytes + 1}, {text: "next"}}},
		{"characters counted", over + "\nnext", []line{{tooLong: true, runes: maxLineBytes/2 + 1}, {text: "next", partial: true}}},
		{"over and unended", over, []line{{tooLong: true, runes: maxLineBytes/2 + 1, partial: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tc.in), 16)
			var got []line
			for {
				l, ok := readLine(br)
				if !ok {
					break
				}
				got = append(got, l)
				if l.partial {
					break
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("read %d lines; want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("line %d = %.40v; want %.40v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestMaxLineHoldsEveryAnswer: the longest answer a question takes,
// four bytes a character, is a line that is kept.
func TestMaxLineHoldsEveryAnswer(t *testing.T) {
	if maxLineBytes < 4*flows.MaxMaxLength {
		t.Errorf("maxLineBytes = %d; want at least %d", maxLineBytes, 4*flows.MaxMaxLength)
	}
}
