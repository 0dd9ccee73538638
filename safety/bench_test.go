package safety_test

import (
	"strings"
	"testing"
)

// answer is an ordinary free-text answer, about 700 characters, full of the
// words crisis rules are built from ("want", "end", "life", "myself",
// "going", "better", "dead") without being a crisis. It is deliberately not
// taken from the sample New uses to choose anchors.
const answer = "To be honest it's been a rollercoaster. Monday I felt on top of the world, then by Thursday I was dead beat and snapping at everyone. " +
	"I want to say the new routine is helping but I'm not convinced yet. I've been going to bed at the same time and leaving my phone downstairs, " +
	"which my partner thinks is hilarious. The hardest part is the end of the working day when the house goes quiet and my mind starts racing. " +
	"I need to find something to fill that gap, maybe the pottery class my neighbour keeps mentioning. " +
	"Life at home is better since my brother moved back, even if he eats everything in the fridge. " +
	"I'm trying not to be so hard on myself about the little things. Next week I'm going to see my nan and take her to the garden centre. "

// long repeats answer to about 2,000 characters, a long survey answer.
var long = strings.Repeat(answer, 5)[:2000]

func BenchmarkCheck(b *testing.B) {
	d := newDefault(b)
	for _, bc := range []struct {
		name string
		text string
		want bool
	}{
		{"short/ordinary", "Had a good week, thanks. Sleep is better.", false},
		{"short/crisis", "I want to die", true},
		{"short/idiom", "My feet are killing me but I'm dying to see the film", false},
		{"long/ordinary", long, false},
		{"long/crisis-at-end", long[:1950] + " I want to die", true},
		{"long/stretched", strings.ReplaceAll(long, "so", "sooooo"), false},
	} {
		if got := d.Check(bc.text); got != bc.want {
			b.Fatalf("Check(%.40q...) = %v; want %v", bc.text, got, bc.want)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				d.Check(bc.text)
			}
		})
	}
}
