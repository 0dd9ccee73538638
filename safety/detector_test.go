package safety_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/safety"
)

// crisis are messages that must trigger the default Detector: the ways
// people actually write about suicide and self-harm.
var crisis = []string{
	// Plain statements, in different tenses.
	"I want to die",
	"I've been thinking about killing myself",
	"I tried to kill myself last year",
	"Sometimes I just wanted to end it all",
	"I want to end my life",
	"I've thought about how I'd take my own life",
	"I'm planning to end things",
	"I should just end it",
	"I deserve to die",
	"I wish I was dead",
	"I wish I'd never been born",
	"I'd be better off dead",
	"I feel like dying",
	"I feel like killing myself",
	"I just want it all to end",
	"sometimes I think about ending it",
	"Ending it all seems like the only way out",
	"I've been having thoughts of ending my life",
	"I keep fantasising about my own death",
	"planning my funeral in my head again",

	// Contractions, missing apostrophes and chat spellings.
	"I dont want to be here anymore",
	"im going to end it",
	"i wanna die",
	"I'm gonna kill myself",
	"i'll kill myself if i fail again",
	"ill kill myself",
	"i want 2 die",
	"ppl wud b better off without me",
	"i just wanna sleep forever",
	"idk i just dont want to exist",

	// Misspellings and odd typing.
	"I think about sucide a lot",
	"thoughts of suicde most days",
	"suiside has crossed my mind",
	"I want to kil myself",
	"I hate myslef and want to kill myslef",
	"I WANT TO DIIIIE",
	"killll myseeeelf",
	"i   want    to   die",
	"I want to die!!!",
	"I want to... die",
	"K I L L myself",
	"i want to d i e",
	"su!c!dal thoughts again",
	"I want to d1e",
	"I want to díe",
	"sui\u200bcide",
	"ｉ ｗａｎｔ ｔｏ ｄｉｅ",
	"𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟",
	"thinking about s*icide",
	"#killmyself",

	// Slang and euphemism.
	"i want to unalive myself",
	"honestly thinking of unaliving",
	"kms",
	"ugh i want to kms",
	"thinking about sewerslide again",
	"people keep telling me to kys",
	"I'd rather not wake up tomorrow",
	"sometimes I hope I don't wake up",
	"I wish I could fall asleep and never wake up",
	"everyone would be better off without me",
	"If I died tomorrow nobody would care.",
	"Nobody would even notice if I was gone",
	"There's no point in living anymore",
	"I can't go on",
	"I can't go on like this",
	"I cant take it anymore",
	"I'm so tired of living",
	"I've lost the will to live",
	"I'm done with life",
	"I don't see the point in living",
	"Life isn't worth living",
	"What's the point of living",
	"no reason to live",
	"I want to disappear forever",
	"I keep wishing I could just disappear",
	"I'm not going to be around much longer",

	// Methods and plans.
	"I thought about taking an overdose",
	"I took an OD in 2019",
	"I OD'd last year",
	"I'm thinking of ODing",
	"I want to hang myself",
	"I plan to jump",
	"I'm going to jump off the roof",
	"thinking of jumping off a bridge",
	"I want to step in front of a train",
	"I wish a car would hit me",
	"I hope I get hit by a bus",
	"I've been stockpiling my tablets",
	"I took a whole packet of paracetamol",
	"My plan is to take all my tablets at once",
	"I was going to swallow all my pills",
	"gonna slit my wrists",
	"I have a noose in my wardrobe",
	"thinking about how to die",
	"I've been researching ways to kill myself",
	"I just want it all to stop",
	"I scratch until I bleed",
	"I've saved up enough tablets",
	"i just want to not be here.",

	// Self-harm.
	"I cut myself again last night",
	"I've been self harming since I was 14",
	"self-harm",
	"my selfharm scars are showing",
	"I want to hurt myself",
	"I burn myself when it gets bad",
	"I've started hitting myself again",
	"I relapsed and started cutting again",
	"She self-harms and I'm worried about her",
	"I'm scared I'll hurt myself",

	// History and mentions, which signpost by design.
	"My friend died by suicide last year",
	"I did suicide prevention training at work",
	"My brother killed himself in 2020",
	"I attempted twice as a teenager",
	"Since my last attempt I've been in therapy",
	"I was hospitalised after an overdose",
	"I've had suicidal thoughts since university",
}

// borderline are decisions documented in defaults.go: phrases that are
// often harmless but are signposted because, from someone answering
// questions about their mental health, they may not be.
var borderline = []string{
	"I don't want to die",                  // negation is not understood
	"I'd rather die than go to that party", // hyperbole that is sometimes not
	"ugh just kill me now, it's monday",    // likewise
	"I was so embarrassed I wanted to die", // likewise
	"I want to die my hair is falling out", // "die my hair" is only ignored with a colour
	"I want to die for real",               // "to die for" is only ignored after a noun
	"I hurt myself at work",                // could be either, so it signposts
	"I cut myself on purpose",              // "on purpose" is not an accident
	"I can't do this anymore",              // in this context, a crisis phrase
	"Life feels pointless",                 // hopelessness about life itself
	"ugh kms, this exam is so hard",        // "kms" means "kill myself", even as a joke
}

// everyday are messages that must not trigger: idioms about dying and
// killing, near-miss words, and ordinary talk about health and life.
var everyday = []string{
	"I nearly died laughing",
	"I'm dying to see the new film",
	"Honestly I've been killing it at work lately",
	"We played cards to kill time",
	"I could kill for a coffee right now",
	"That lecture bored me to death",
	"The storm scared me to death",
	"My feet are killing me after that walk",
	"They make a chocolate cake to die for",
	"I'm dead tired after the night shift",
	"The deadline is on Friday",
	"My phone died halfway through the call",
	"This joke kills me every time",
	"I dyed my hair blue last week",
	"I've booked the studio for Tuesday",
	"Drawing is a skill I'm proud of",
	"We went to Killarney for the weekend",
	"I want to die my hair pink",
	"I was thinking of dying my hair",
	"I cut myself shaving this morning",
	"I hurt myself playing football",
	"I burnt myself out at work last year",
	"I cut myself off from toxic friends",
	"I shot myself in the foot by missing the deadline",
	"I drown myself in work when I'm stressed",
	"I need to top myself up on credit",
	"I ran 5 kms this morning",
	"I'm going to end it with my boyfriend",
	"I'm taking my life back one step at a time",
	"I passed my driving test on my first attempt",
	"My attempt at baking bread was a disaster",
	"This is my second attempt to quit smoking",
	"I can't go on holiday this year",
	"I can't carry on working these hours",
	"The battery is dead",
	"I finally finished the killer sudoku",
	"I'll catch the bus home",
	"Dead good session today",
	"I love being alive on days like this",
	"I'm living my best life",
	"The plants died while I was away",
	"She's dying to meet you",
	"I hope the baby doesn't wake up",
	"I didn't wake up until noon",
	"That was an odd thing to say",
	"The hike nearly killed me",
	"I need to cut down on caffeine",
	"I hung my washing out",
	"My ex ended things last month",
	"The film ends with everyone dying",
	"This job is killing me slowly",
	"I take all my meds every morning",
	"I'd love to disappear to the beach",
	"I need to disappear for a bit to recharge",
	"Suede shoes, and I sussed it out",
	"I succeeded in my exams",
	"Diet is going okay",
	"I'm going to die of boredom in this meeting",
	"I wish I was alive in the sixties",
	"I wish I had been born in Spain",
	"I feel like I'm dying inside at work",
	"I felt like I was dying during the panic attack",
	"We're all going to die someday",
	"My grandad died last year and I miss him",
	"I'm cutting carbs",
	"I ended up staying in bed all day",
	"I want to end the day with a bath",
	"I'm done with work for today",
	"I'm tired of waiting for my appointment",
	"Honestly I'd kill for a nap",
	"He killed it on stage",
	"I love my life",
	"I can't take it with me on the plane",
	"I can't do this job anymore without more support",
	"I watched Suicide Squad at the weekend",
	"I jumped off the diving board",
	"I'm dying for a cup of tea",
	"kmsl that was so funny",
	"My period cramps are killing me",
	"I overdid it at the gym",
	"We had a great day out in Sussex",
	"I need to hang up the phone",
	"Self-care day, hanging out with myself",
	"I kept myself busy",
	"That's od funny",
	"Cross my heart and hope to die, I'll be there",
	"That's a hill I'd die on",
	"My mum will kill me if I'm late",
	"I need a die for the board game",
	"The sunset was to die for",
	"I feel alive again after the walk",
	"My therapist said I'm making progress",
	"",
}

func newDefault(t testing.TB) *safety.Detector {
	t.Helper()
	d, err := safety.New(safety.Options{})
	if err != nil {
		t.Fatalf("New(Options{}) error: %v", err)
	}
	return d
}

func TestCheckDefaults(t *testing.T) {
	d := newDefault(t)
	for _, tc := range []struct {
		name  string
		texts []string
		want  bool
	}{
		{"crisis", crisis, true},
		{"borderline", borderline, true},
		{"everyday", everyday, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, text := range tc.texts {
				if got := d.Check(text); got != tc.want {
					t.Errorf("Check(%q) = %v; want %v (normalised %q)", text, got, tc.want, safety.Normalise(text))
				}
			}
		})
	}
}

func TestSampleIsOrdinary(t *testing.T) {
	// New picks anchors that are rare in the sample, so crisis language in
	// it would skew the index; and it is a page of everyday writing that
	// must not trigger.
	d := newDefault(t)
	for _, line := range strings.Split(safety.Sample, "\n") {
		if d.Check(line) {
			t.Errorf("Check(%q) = true; want false", line)
		}
	}
}

func TestTableSizes(t *testing.T) {
	// The tables are the specification of what the defaults catch and
	// leave alone; keep them from quietly shrinking.
	if got, want := len(crisis), 60; got < want {
		t.Errorf("len(crisis) = %d; want at least %d", got, want)
	}
	if got, want := len(everyday), 60; got < want {
		t.Errorf("len(everyday) = %d; want at least %d", got, want)
	}
}

// TestIndexMatchesScan checks the anchor index against trying every rule on
// the whole text, which is slow but obviously right.
func TestIndexMatchesScan(t *testing.T) {
	d := newDefault(t)
	if !safety.Indexed(d) {
		t.Errorf("Indexed(default Detector) = false; want true (a default rule has no usable anchor)")
	}
	all := append(append(append([]string{}, crisis...), borderline...), everyday...)
	// Pairs of sentences, so idioms sit next to crisis phrases.
	for i := range all {
		all = append(all, all[i]+" "+all[(i*7+3)%len(all)])
	}
	for _, text := range all {
		if got, want := d.Check(text), safety.CheckSlow(d, text); got != want {
			t.Errorf("Check(%q) = %v; CheckSlow = %v", text, got, want)
		}
	}
}

// raceEnabled is set by race_test.go.
var raceEnabled = false

// TestIndexMatchesScanRandom does the same for word salad made from the
// vocabulary of the rules and idioms, which finds the near misses and
// overlaps that real sentences rarely do.
func TestIndexMatchesScanRandom(t *testing.T) {
	d := newDefault(t)
	custom, err := safety.New(safety.Options{
		Phrases:  []string{"catch the bus"},
		Patterns: []string{`\bsh\b`, `(?U)want.*die`},
		Ignore:   []string{"kill two birds"},
	})
	if err != nil {
		t.Fatalf("New error: %v", err)
	}
	vocab := strings.Fields(`i i'm im you she my me myself herself want wanna wish wished hope need
		to just really die dying died dead death kill killing killed kms end ending it all things
		my life own take took not don't do never wake up sleep forever better off without no point
		in living can't go on holiday anymore . , ! ? cut cutting hurt burn myself shaving off out
		hang jump off bridge in front of train od took an pills all at once tablets suicide
		sucide self harm unalive time feet are laughing to for cake a the was is hair pink dye
		attempt my first at last cross heart and catch bus sh diiie kiiill 5 kms with him`)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() || raceEnabled {
		n = 1000
	}
	for range n {
		words := make([]string, 2+rng.IntN(10))
		for i := range words {
			words[i] = vocab[rng.IntN(len(vocab))]
		}
		text := strings.Join(words, " ")
		for _, det := range []*safety.Detector{d, custom} {
			if got, want := det.Check(text), safety.CheckSlow(det, text); got != want {
				t.Errorf("Check(%q) = %v; CheckSlow = %v (normalised %q)", text, got, want, safety.Normalise(text))
			}
		}
	}
}

func TestNormalise(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"I'm", []string{" i am . "}},
		{"Im gonna", []string{" i am going to . "}},
		{"I DONT KNOW", []string{" i do not know . "}},
		{"can’t go on. ok", []string{" cannot go on . ok . "}},
		{"i want to... die", []string{" i want to die . "}},
		{"diiiie", []string{" die . ", " diie . "}},
		{"kill", []string{" kill . "}},
		{"k.m.s", []string{" kms . "}},
		{"s u i c i d e", []string{" suicide . "}},
		{"plan b", []string{" plan be . "}},
		{"r u ok", []string{" are you ok . "}},
		{"i'll be ill", []string{" i will be ill . "}},
		{"self-harm", []string{" self harm . "}},
		{"K1LL", []string{" kill . "}},
		{"5 kms", []string{" 5 kms . "}},
		{"Café", []string{" cafe . "}},
		{"*hugs*", []string{" hugs . "}},
		{"", nil},
		{"?!...", nil},
	} {
		got := safety.Normalise(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("Normalise(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  safety.Options
		text string
		want bool
	}{
		{"phrase matches", safety.Options{Phrases: []string{"catch the bus"}}, "I think I'll catch the BUS tonight", true},
		{"phrase matches whole words only", safety.Options{Phrases: []string{"catch the bus"}}, "I'll catch the buses", false},
		{"phrase is normalised", safety.Options{Phrases: []string{"I’m done"}}, "im done", true},
		{"phrase with punctuation", safety.Options{Phrases: []string{"ctb."}}, "thinking about ctb again", true},
		{"pattern", safety.Options{Patterns: []string{`\bsh\b`}}, "I did sh again", true},
		{"pattern is case-insensitive", safety.Options{Patterns: []string{`\bSH\b`}}, "i did sh again", true},
		{"pattern sees normalised text", safety.Options{NoDefaults: true, Patterns: []string{`\bi do not want to wake up \.`}}, "I don't want to wake up", true},
		{"pattern sees the final clause break", safety.Options{NoDefaults: true, Patterns: []string{`wake up$`}}, "I don't want to wake up", false},
		{"pattern with clause break", safety.Options{Patterns: []string{`i am done \.`}}, "I'm done. Really.", true},
		{"pattern without usable anchor", safety.Options{Patterns: []string{`^ x`}}, "x y z", true},
		{"ignore removes a default", safety.Options{Ignore: []string{"suicide prevention"}}, "I did suicide prevention training", false},
		{"ignore leaves other triggers", safety.Options{Ignore: []string{"suicide prevention"}}, "suicide prevention training made me want to die", true},
		{"ignore guards a phrase", safety.Options{Phrases: []string{"kill"}, Ignore: []string{"kill two birds"}}, "kill two birds with one stone", false},
		{"ignored phrase elsewhere", safety.Options{Phrases: []string{"kill"}, Ignore: []string{"kill two birds"}}, "kill two birds, then kill", true},
		{"no defaults", safety.Options{NoDefaults: true}, "I want to die", false},
		{"no defaults keeps phrases", safety.Options{NoDefaults: true, Phrases: []string{"want to die"}}, "I wanna die", true},
		{"no defaults keeps normalisation", safety.Options{NoDefaults: true, Phrases: []string{"want to die"}}, "I wanna   DIIIE", true},
		{"no defaults drops default ignores", safety.Options{NoDefaults: true, Phrases: []string{"kill time"}}, "we played cards to kill time", true},
		{"defaults ignore idioms in phrases", safety.Options{Phrases: []string{"kill time"}}, "we played cards to kill time", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := safety.New(tc.opt)
			if err != nil {
				t.Fatalf("New(%+v) error: %v", tc.opt, err)
			}
			if got := d.Check(tc.text); got != tc.want {
				t.Errorf("Check(%q) = %v; want %v (normalised %q)", tc.text, got, tc.want, safety.Normalise(tc.text))
			}
			if got, want := d.Check(tc.text), safety.CheckSlow(d, tc.text); got != want {
				t.Errorf("Check(%q) = %v; CheckSlow = %v", tc.text, got, want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		opt  safety.Options
		want string
	}{
		{safety.Options{Patterns: []string{"a", "b", "("}}, `safety.patterns[2] "(": missing closing )`},
		{safety.Options{Patterns: []string{"[z-a]"}}, `safety.patterns[0] "[z-a]": invalid character class range`},
		{safety.Options{Patterns: []string{"kill|"}}, `safety.patterns[0] "kill|": matches empty text, so every message would be flagged`},
		{safety.Options{Phrases: []string{"ok", "!!!"}}, `safety.phrases[1] "!!!": no words left after normalisation`},
		{safety.Options{Ignore: []string{""}}, `safety.ignore[0] "": no words left after normalisation`},
	} {
		_, err := safety.New(tc.opt)
		if err == nil {
			t.Errorf("New(%+v) error = nil; want %q", tc.opt, tc.want)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("New(%+v) error = %q; want %q", tc.opt, got, tc.want)
		}
		var pe *safety.PatternError
		if !errors.As(err, &pe) {
			t.Errorf("New(%+v) error is %T; want *safety.PatternError", tc.opt, err)
		}
	}
}

func TestZeroDetectorPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Check on a zero Detector did not panic; want a panic, as it cannot detect anything")
		}
	}()
	var d safety.Detector
	d.Check("I want to die")
}

func TestCheckConcurrent(t *testing.T) {
	// Run with -race: a Detector is shared by every handler.
	d := newDefault(t)
	done := make(chan bool)
	for i := range 8 {
		go func() {
			for _, text := range crisis[i:] {
				if !d.Check(text) {
					t.Errorf("Check(%q) = false; want true", text)
				}
			}
			done <- true
		}()
	}
	for range 8 {
		<-done
	}
}
