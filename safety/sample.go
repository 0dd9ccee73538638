package safety

import (
	"strings"
	"sync"
)

// sample is ordinary writing of the kind participants send: answers about
// sleep, work, friends and mood, with everyday idioms and no crisis
// language. New uses it to estimate how often a literal turns up, so that it
// indexes each rule on literals that are rare in everyday text. It only
// affects speed, never what Check finds.
const sample = `Honestly this week has been a mixed bag. I wanted to get out more but work ran late, and by the end of the day I was dead tired.
I'm trying to look after myself better. I went for a walk, cooked a proper meal and called my sister, which always helps.
Life feels a bit more manageable than last month. I'm going to keep going with the group and see how it goes.
I need to remember that it's okay to have bad days. My therapist says I should be kinder to myself and I think she's right.
Sleep has been up and down. Some nights I go to bed early and still wake up at four, other nights I sleep right through.
I don't really know how to describe it, I just feel flat. Not sad exactly, just tired of the same routine.
Work is stressful at the moment because we have a big deadline on Friday and my manager keeps changing the plan.
I've started running again, only a few kilometres, but it clears my head and I feel more like myself afterwards.
My mum came to stay for the weekend. It was nice to see her but I was exhausted by Sunday night.
I want to get better at saying no to people. I end up agreeing to things and then I'm stretched too thin.
The group chat has been really supportive. It helps to know other people have been through the same thing.
I've been eating better and drinking less coffee, which seems to help with the anxiety.
I keep meaning to book a GP appointment but I never get round to it. I'll try to do it next week.
My friend and I went to the cinema and laughed so much. I'm dying to see the sequel when it comes out.
Money has been tight since I changed jobs, so I'm trying to budget and cook at home more often.
I feel like I'm doing better than I was last year, even if some days are still hard.
I was killing it at work on Monday and then completely crashed by Wednesday.
My feet are killing me after standing all day, but the shift went quickly.
I miss my old friends from university. We used to meet every week and now it's once a year if we're lucky.
The medication seems to be working. I've had fewer headaches and I'm sleeping a bit longer.
I find it hard to talk about my feelings with my family, so writing it down here helps.
Some days I just want to stay in bed and watch films, and I'm learning that's allowed sometimes.
My partner has been brilliant, making dinner and giving me space when I need it.
I'm going to try the breathing exercise before bed and see if it makes a difference.
The weather has been awful, grey and wet, which never helps my mood.
I've got a new job interview next week so I'm nervous but also a bit excited.
I spent the afternoon in the garden and it was the first time in ages I felt calm.
I want to say thank you to everyone in the group for listening.
I'm not sure what to write this week. Nothing much has changed, which is probably a good thing.
My kids kept me busy all weekend with football and birthday parties.
Lately I've been thinking about changing careers, maybe going back to college.
I'd love to go on holiday this year but I can't afford it right now.
We played cards to kill time while the power was off. The phone died so I read a book instead.
I had a panic attack on the train, which was scary, but I used the grounding technique and it passed.
I've been volunteering at the food bank on Saturdays and it gives me a sense of purpose.
I end each day by writing three good things in my journal. It sounds silly but it works.
The new flat is smaller but it's quieter and I can finally get some rest.
I want to keep doing the things that help: walking, seeing friends, getting enough sleep.
I've been feeling lonely since my housemate moved out, so I'm going to join a choir.
It's been a long week and I'm looking forward to a lie in.
I need to stop comparing myself to other people on social media.
My dog is the best thing in my life. Walking him twice a day gets me out of the house.
I'm proud of myself for going to the appointment even though I was anxious.
Talking to the counsellor has helped me see things differently.
I had a great time at my cousin's wedding, although I was dead on my feet by the end of the night.
I want to learn to cook properly and stop living on toast.
Things are slowly getting better and I'm trying not to rush it.
`

var (
	sampleOnce  sync.Once
	sampleCount map[string]int // every piece of the normalised sample up to maxAnchor bytes
)

// frequency returns how often lit occurs in the normalised sample.
func frequency(lit string) int {
	sampleOnce.Do(func() {
		sampleCount = map[string]int{}
		for _, line := range strings.Split(sample, "\n") {
			for _, s := range normalise(line) {
				for i := range len(s) {
					for n := 1; n <= maxAnchor && i+n <= len(s); n++ {
						sampleCount[s[i:i+n]]++
					}
				}
			}
		}
	})
	return sampleCount[lit]
}
