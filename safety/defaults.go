package safety

import "strings"

// The built-in English lists. Every entry is a Go regular expression written
// for normalised text (see normalise): lower case, contractions expanded ("i
// am", "do not", "cannot"), words separated by single spaces and " . " at the
// end of each clause. Each entry is compiled as " (?:entry) ", so it matches
// whole words only.
//
// The deliberate choices, and the reasons for them:
//
//   - Any mention of suicide or self-harm triggers, including "suicide
//     prevention training" and "my friend died by suicide". These are people
//     answering questions about their own mental health; a kind message
//     they did not need costs little, a crisis we stay silent about costs a
//     great deal, and telling the two apart needs a human.
//   - Idioms about dying and killing ("dying to see it", "killing it at work")
//     do not trigger. The rules below look for a person wanting to die or
//     harm themselves, not for the words "die" or "kill" on their own.
//   - Negation is not understood: "I don't want to die" triggers. Ambivalence
//     ("I don't want to die, I just want the pain to stop") is common in
//     crisis, and reading negation reliably is beyond a list of phrases.
//   - Hyperbole that is usually a joke but is sometimes not triggers:
//     "I'd rather die than", "just kill me", "I've lost the will to live".
//   - Slang that is too ambiguous does not trigger: "catch the bus", "ctb",
//     "sh", "od" on its own (in British slang it also means "very"). "od"
//     does trigger with a verb or drug ("took an od", "od on pills").
//   - Wanting to disappear triggers in the present ("I just want to
//     disappear", "I wish I could disappear"); in the past it is usually
//     embarrassment ("I wanted to disappear when I tripped"), so "wanted to
//     disappear" needs "forever" or "for good".
//   - "End it" triggers after an intention ("I'm going to end it", "I might
//     just end it"). "End it with him" and "end it here" are ignored: the
//     second is how people finish a long answer.
//   - "Better off without me" triggers even where it could be about a team
//     or a band; the self-harm reading is too important to miss.
//   - Accidents and sports injuries ("cut myself shaving", "hurt myself
//     playing football") are in the ignore list, as are "burn myself out",
//     "cut myself off" and the like. "I hurt myself at work" still
//     triggers: it could be either.

// Fragments shared by the rules, written {name} in them.
var fragments = strings.NewReplacer(
	// Reflexives, for verbs that are crisis language whoever they are about:
	// "kill myself", "she cuts herself", "kill my self".
	"{self}", `(?:myself|my self|yourself|your self|yourselves|himself|herself|themselves|themself|ourselves|oneself)`,
	// Reflexives without "yourself", for verbs that are also everyday
	// warnings: "careful, you'll burn yourself".
	"{own}", `(?:myself|my self|himself|herself|themselves|themself|ourselves)`,
	"{poss}", `(?:my|his|her|their|your|our)`,
	// Words people put between a verb and what they mean: "I want to just
	// die", "wanted to literally end it all".
	"{adv}", `(?: (?:just|really|literally|actually|honestly|seriously|genuinely|truly|simply|kind of|sort of|fucking|fking|fuckin|effing|bloody|so|badly|desperately|sometimes|often|still|also|even|quietly|peacefully|finally|already|now|probably|definitely|totally|completely|secretly|slowly|go and|go|rather)){0,3}`,
	// Wanting, needing and deciding, in every tense: with these, "die" and
	// "be dead" are a wish, not a fact ("we all die").
	"{wish}", `(?:want|wants|wanted|wanting|wish|wishes|wished|wishing|need|needs|needed|needing|ready|deserve|deserves|deserved|rather|prefer|prefers|preferred|long|longing|longed|yearn|yearning|tempted|plan|plans|planned|planning|intend|intends|intended|intending|decide|decided|deciding|hope|hopes|hoped|hoping|pray|prays|prayed|praying|try|tries|tried|trying|attempt|attempted|attempting|choose|chose)`,
	// Intention, including the future and modal verbs, for acts that are
	// crisis language however they are introduced: "I'm going to end it",
	// "I might just end it".
	"{intent}", `(?:going|about|will|ill|would|could|should|might|may|must|got|have|has|had|ready|want|wants|wanted|wanting|wish|wished|need|needed|plan|plans|planned|planning|intend|intended|intending|decide|decided|deciding|try|tried|trying|attempt|attempted|tempted|prepared|thinking of|thought of|considering|considered)`,
	// Thinking and planning: "I keep thinking about ending it".
	"{think}", `(?:think|thinks|thinking|thought|dream|dreams|dreaming|dreamt|dreamed|fantasise|fantasising|fantasised|fantasize|fantasizing|fantasized|consider|considering|considered|contemplate|contemplating|contemplated|imagine|imagining|imagined|obsess|obsessing|obsessed|plan|planning|planned)(?: about| of| over)?`,
	// The end of a clause, or words that make a phrase final: "I can't go
	// on." and "I can't go on anymore", but not "I can't go on holiday".
	"{end}", `(?: \.| anymore| any more| any longer| like this| ever again| again)`,
	// Any one word, for short gaps in idioms: "a chocolate cake to die for".
	"{word}", `[a-z0-9]{1,20}`,
	"{pills}", `(?:pills|pill|tablets|tablet|meds|medication|medications|medicine|paracetamol|painkillers|sleeping pills|sleeping tablets|antidepressants|ibuprofen|aspirin|insulin|codeine|co codamol|tramadol|sertraline|fluoxetine|citalopram|mirtazapine|amitriptyline|diazepam|lithium|quetiapine|opioids|heroin|drugs)`,
)

// defaultTriggers are the crisis phrasings Check looks for.
var defaultTriggers = []string{
	// Mentions of suicide and self-harm, in any context, and the words
	// people use to get past filters. The first matches "suicide",
	// "suicidal" and their common misspellings ("sucide", "suicde",
	// "suiside") without matching "sussed" or "suede".
	`su[ie]?(?:c|s|sc)(?:i|ie|e)?d[a-z]{0,12}`,
	`sewer ?slid[a-z]{0,4}`,
	`un ?aliv[a-z]{0,5}`,
	`self ?(?:harm|injur|mutilat|delet)[a-z]{0,6}`,
	`kms|kys`,
	`over ?do[sz][a-z]{0,4}`,
	`nooses?`,
	`toaster baths?`,
	`commit(?:s|ted|ting)? (?:sudoku|toaster bath|self delete)`,
	`goodbye (?:note|letter|forever|cruel world)|this is (?:my )?goodbye`,
	`(?:lethal|fatal|deadly) (?:dose|amount|overdose)`,

	// Harming oneself: a method with a reflexive object, in any tense and
	// about anyone ("I tried to kill myself", "she cuts herself").
	`(?:kill|kills|killed|killing|hang|hangs|hanged|hung|hanging|cut|cuts|cutting|slit|slits|slitting|slash|slashes|slashed|slashing|harm|harms|harmed|harming|stab|stabs|stabbed|stabbing|shoot|shoots|shot|shooting|starve|starves|starved|starving|drown|drowns|drowned|drowning|poison|poisons|poisoned|poisoning|strangle|strangles|strangled|strangling|suffocate|suffocates|suffocated|suffocating|smother|smothers|smothered|smothering|gas|gasses|gassed|gassing|electrocute|electrocuted|electrocuting|mutilate|mutilates|mutilated|mutilating|neck|necks|necked|necking|rope|ropes|roped|roping|top|tops|topped|topping|end|ends|ended|ending|delete|deletes|deleted|deleting|unalive|overdose) {self}`,
	`(?:hurt|hurts|hurting|burn|burns|burned|burnt|burning|hit|hits|hitting|punch|punches|punched|punching|choke|chokes|choked|choking) {own}`,
	`(?:do|doing) {own} in`,
	`(?:to|will|ill|would|could|might|should|just|and) off {self}|(?:offed|offing) {self}`,
	`(?:cut|cuts|cutting|slit|slits|slitting|slash|slashes|slashed|slashing|slice|sliced|slicing|carve|carved|carving)(?: open)? {poss} (?:wrist|wrists|vein|veins|throat|arm|arms|thigh|thighs|leg|legs|skin|stomach|hips|body)`,
	`(?:open|opened|opening) {poss} (?:wrist|wrists|vein|veins)`,
	`cutting again|i (?:have )?cut again`,
	`(?:until|till|til) (?:i|it|they|my skin) bleeds?|make {own} bleed`,

	// Wanting to die, to be dead or not to exist.
	`{wish}(?: to)?{adv} (?:die|be dead|not be alive|not exist|not be here \.|not wake up|never wake up|stop existing|cease to exist|cease existing|no longer exist|not be here anymore|not be here any more|not be around anymore|be gone forever|be gone for good|disappear forever|disappear for good|disappear permanently|disappear from (?:this|the) world|vanish forever|sleep forever|go to sleep forever|(?:go to sleep|fall asleep) and (?:not|never) wake up|be killed|get killed|be put down|be euthani[sz]ed|end it|end it all|end things|end everything|end {poss}(?: own)? life|give up on life|stop living|not live anymore|leave this world|leave this earth)`,
	`{intent}(?: to)?{adv} (?:end it|end it all|end things|end everything|end {poss}(?: own)? life|end {poss} suffering|take {poss}(?: own)? life|hang {self}|jump(?: off| from| in front of| under| \.)|od|overdose|rope(?: \.| tonight| soon))`,
	`(?:want|wants|wanting|wish|wishes|wishing|need|needs|needing)(?: to| i could| i would| i can| i might)?{adv} (?:disappear|vanish|not exist|stop existing)`,
	`{wish}(?: for)? (?:it all|everything|all of this|all of it|my life|life|the pain|this pain) to(?: just| all| finally)? (?:end|stop|be over)`,
	`{wish}(?: for)? (?:it|this) to(?: just| all| finally)? (?:end|be over)`,
	`(?:ways|way|how|methods|method|best way|easiest way|painless way|quickest way|quickest ways) to (?:die|kill {self}|end it|end {poss}(?: own)? life|commit suicide|overdose|od)`,
	`(?:fall|falls|falling|fell|go|goes|going|went) (?:asleep|to sleep) and (?:not|never) (?:wake|waking|woke) up`,
	`(?:will not|not going to|will no longer|am not going to) be (?:here|around|alive)(?: for)? (?:much longer|long|for much longer)`,
	`wish(?:es|ed|ing)?(?: that)? i(?: (?:was|were|had|could|would|can|did|just|really|honestly|simply|actually|sometimes|still|so|go and|then|finally|quietly|peacefully|might|will)){0,3} (?:die|died|dead|dying|not wake up|never wake up|not woken up|never woken up|not exist|never existed|never been born|not been born|never born|not born|not alive|disappear|disappeared|sleep forever|gone|not here anymore|not here any more|not around anymore|(?:fall asleep|go to sleep|sleep|go to bed) and (?:not|never) wake up)`,
	`(?:hope|hopes|hoped|hoping|pray|prays|prayed|praying)(?: that)? i(?: (?:just|would|could|will|might|can|simply|finally|actually|really|soon|quietly|peacefully|go and)){0,3} (?:die|die soon|dead|be dead|do not wake up|not wake up|never wake up|never woke up|did not wake up|(?:fall asleep|go to sleep|sleep|go to bed) and (?:not|never) wake up)`,
	`(?:feel|feels|feeling|felt) like(?: i (?:want|wanted|need|needed|should|could|might|may) to)?{adv} (?:dying|ending it|ending it all|ending {poss} life|killing {self}|die|end it|end it all|kill {self}|giving up on life|disappearing forever|not existing|not being alive|not being here anymore)`,
	`{think}{adv} (?:ending (?:it|it all|things|everything|{poss}(?: own)? life)|dying|death|being dead|{poss}(?: own)? death|{poss}(?: own)? funeral|not (?:existing|being alive|being here|waking up)|killing {self}|hurting {own}|harming {self}|cutting(?: {own}| again)|hanging {self}|overdosing|taking {poss}(?: own)? life|jumping(?: off| from| in front of| under| \.)|disappearing forever|how to die|ways to die|how i would die|how i would do it)`,
	`(?:end|ends|ended|ending) (?:it all|{poss}(?: own)? life|{poss}(?: own)? existence|everything)`,
	`(?:take|takes|took|taking|taken) {poss}(?: own)? life`,

	// Asking for death, or not minding it: "I wish a bus would hit me".
	`(?:please|someone|somebody|anyone|anybody|god|just|universe)(?: (?:please|just|come and|come|already|fucking))? (?:kill|end) me`,
	`(?:wish|wishes|wished|wishing|hope|hopes|hoped|hoping|pray|prays|prayed|praying|want|wants|wanted|wanting|need|needed)(?: that)? (?:someone|somebody|something|anyone|anybody|a car|a bus|a train|a lorry|a truck|a van|god|it|the universe|cancer|the cancer|covid|this illness|the illness|death|lightning)(?: (?:would|could|will|to|just|came and|comes and|finally)){0,2} (?:(?:kill|kills|killed|end|ends|ended|hit|hits) me|(?:run|runs|ran) me over|(?:take|takes|took) me(?: now| soon| away from this world| in my sleep| \.))`,
	`(?:hope|hoping|hoped|wish|wishing|wished|want|wanting|pray|praying)(?: that)? i (?:get|got|would get|could get|will get|might get|was|were) (?:hit|run over|killed|knocked down|struck)`,
	`(?:would not|do not|did not|does not|would not even|do not even)(?: really)? (?:mind|care) (?:if|whether) i (?:die|died|was dead|were dead|was gone|were gone|do not wake up|did not wake up|never woke up|never wake up|got hit|get hit|live or die|lived or died|disappeared)`,
	`(?:whether|if) i (?:live|lived) or (?:die|died)`,

	// Others better off without them: feeling a burden, in its clearest
	// forms. "I feel like a burden" alone does not trigger.
	`better off (?:dead|gone|without me)`,
	`(?:be|are|is|was|were)(?: so much| much| a lot| far)? (?:better|happier|easier|safer)(?: off)? without me`,
	`(?:better|happier|easier|simpler|best|kinder)(?: off)?(?: for (?:everyone|everybody|them|my family|my kids|the world|all of them|people))? if i (?:died|was dead|were dead|was gone|were gone|disappeared|was not here|were not here|was not around|were not around|was not alive|were not alive|did not exist|never existed|had never been born|was never born|had died|just died|just disappeared|killed myself|ended it|ended my life|was no longer here|did not wake up|never woke up)`,
	`(?:no one|nobody|none of them|they|people|anyone)(?: would| will| is going to| would not| will not)(?: even| really| actually)? (?:miss me|notice if i (?:was|were|am) gone|notice if i (?:died|disappeared)|care if i (?:died|was dead|was gone|were gone|disappeared)|care \.)`,

	// No point, no reason, no will to live.
	`no (?:point|reason|purpose|sense|use|meaning) (?:in |of |to |for )?(?:living|life|being alive|being here|existing|staying alive|live|be alive|stay alive|keep living|exist|my life|me being here|me living|me being alive|going on living)`,
	`no (?:point|reason|purpose|use) (?:in |of |to |for )?(?:going on|carrying on|keep going|keeping going|go on|carry on|continuing|continue)(?:{end}| with (?:life|this|it))`,
	`nothing(?: left)? (?:to live for|worth living for)|(?:no one|nobody) (?:left )?to live for`,
	`(?:not|no longer|never) worth living`,
	`(?:life|living|my life|existing|being alive|this life|existence) (?:is|was|feels|felt|seems|seemed)(?: so| just| completely| totally| really| honestly)? (?:not worth (?:it|living)|no longer worth (?:it|living)|pointless|meaningless|worthless|hopeless|not worth the (?:effort|pain|struggle))`,
	`(?:what is|whats) the (?:point|use) (?:of|in) (?:living|life|being alive|existing|going on|carrying on|me|anything anymore|it all|staying alive|being here|even trying)`,
	`(?:do not|cannot|can not|no longer|never)(?: even)? see (?:the|any|a) (?:point|reason) (?:in |of |to |for )?(?:living|life|being alive|going on|existing|carrying on|staying alive|live|anything anymore|any of it|it all|being here)`,
	`(?:lost|lose|losing|have no|there is no|no|without) (?:the |my |any |all )?(?:will|desire|wish|want|reason|motivation|strength|energy) to (?:live|be alive|exist|stay alive|keep living)`,
	`(?:lost|lose|losing|have no|there is no|no|without) (?:the |my |any |all )?(?:will|desire|reason|strength) to (?:go on|carry on|keep going){end}`,

	// Not able to go on.
	`(?:cannot|can not|could not|unable to|not able to) (?:go on|carry on|keep going|keep on going|keep living|continue living|live like this|live with this|live this way|do life)(?:{end}| much longer| with (?:life|this|my life)| without (?:her|him|them|you))`,
	`(?:cannot|can not) (?:take|do|bear|handle) (?:it|this|this life|life|living|any of this|this pain|the pain|any more|anymore)(?:{end}| much longer)`,
	`(?:do not|does not|did not|no longer|never) (?:want|wanted|wish|wished|feel like|see the point|see a reason|see any reason) to (?:live|be here|be around|go on|carry on|keep going|continue|wake up|exist)(?:{end}| tomorrow)`,
	`(?:do not|does not|did not|no longer|never) (?:want|wanted|wish|wished) to (?:be alive|exist|keep living|stay alive|be living|be on this earth|be in this world)`,
	`(?:tired|sick|exhausted|weary) of (?:living|being alive|life|existing|waking up|this life|fighting to stay alive|trying to stay alive)`,
	`(?:tired|sick|exhausted|weary|done) (?:of|with) (?:it all|everything)(?: \.| anymore)`,
	`done with (?:life|living|existing|being alive|this world|this life)`,
	`(?:give|gives|gave|given|giving) up on (?:life|living|staying alive|being alive)`,
	`(?:cannot|can not) be bothered (?:to live|living|with life|being alive|existing|to exist)`,

	// Methods: heights, traffic, trains, pills, weapons.
	`(?:jump|jumps|jumped|jumping|throw {self}|threw {self}|throwing {self}|hurl {self}|step|stepped|stepping|leap|leapt|leaping) (?:off|from)(?: of)?(?: (?:a|an|the|this|that|my|our|some|the top of(?: a| the)?))? (?:bridge|roof|rooftop|building|cliff|balcony|car park|multi storey|multistorey|multi story|tower|tower block|block of flats|ledge|window|flyover|overpass|high rise|top floor|viaduct|skyscraper|tall building|motorway bridge)`,
	`(?:jump|jumps|jumped|jumping|step|steps|stepped|stepping|walk|walks|walked|walking|run|runs|ran|running|lie down|lay down|lying down|throw {self}|threw {self}|throwing {self}|hurl {self}) (?:out )?(?:in front of|under)(?: (?:a|an|the|some|oncoming))? (?:train|tube|bus|lorry|truck|car|van|tram|traffic)`,
	`(?:jump|jumped|jumping|step|stepped|stepping|walk|walked|walking|lie|lay|lying|throw {self}|threw {self}) (?:onto|on to|on) (?:the )?(?:tracks|railway line|railway tracks|train tracks)`,
	`(?:walk|walks|walked|walking|step|stepped|stepping|drive|drives|driving|swerve|swerving|steer|steering) (?:my car |the car )?into (?:oncoming )?traffic`,
	`(?:drive|drives|driving|swerve|swerving|steer|steering|crash|crashing) (?:my car |the car |myself )?(?:into|off) (?:a|the) (?:wall|tree|bridge|cliff|river|lorry|truck|barrier|lamppost)`,
	`(?:take|takes|took|taking|taken|swallow|swallows|swallowed|swallowing|down|downed|downing|neck|necked|necking) (?:all|every one|the lot|the whole|a whole|a few|a|two|three|handfuls|a handful|half a|half) (?:of )?(?:my |the |these |those |some |them )?(?:bottles?|box|boxes|packets?|packs?|strips?|handfuls?|stash|stockpile) of {pills}`,
	`(?:swallow|swallowed|swallowing|down|downed|downing) all (?:of )?(?:my |the |these |those |her |his )?{pills}`,
	`(?:take|took|taking|taken) all (?:of )?(?:my |the |these |those |her |his )?{pills}(?: at once| in one go| together| \.)`,
	`(?:took|take|taking|taken|swallowed|swallow) (?:too many|way too many|loads of|a load of|a ton of|tons of|hundreds of|dozens of|fifty|a hundred|twenty|thirty|forty) {pills}`,
	`(?:stockpile|stockpiles|stockpiled|stockpiling|hoard|hoards|hoarded|hoarding|saving up|saved up|save up) (?:my |some |the |all my |all the |enough )?{pills}`,
	`enough {pills} to (?:die|kill {self}|end it|not wake up|overdose|od)|enough {pills} (?:saved|stored|stockpiled|hidden)`,
	`(?:saved|saving|stockpiled|kept|hidden|hid|hoarded) (?:up )?enough {pills}`,
	`(?:take|takes|took|taking|taken|have|had|having|tried|try|trying|attempted|do|did|doing|an|another|massive|deliberate|intentional|nearly|almost) (?:an )?od`,
	`od(?:ed|ing|d)? (?:on|with) (?:my |some |the |all my |all |a |her |his |their )?{pills}`,
	`(?:gun|pistol|shotgun|rifle|barrel) (?:to|in|against|into) {poss} (?:head|mouth|temple|chin)`,
	`(?:bullet|bullets) (?:in|into|through) {poss} (?:head|brain|skull)`,
	`blow {poss} (?:brains|head) (?:out|off)`,
	`rope (?:around|round) {poss} neck`,

	// Past attempts: "since my attempt", "I attempted last year". "attempt
	// at" and "attempt to" are in the ignore list.
	`(?:my|his|her|their|an|another|previous|prior|past|failed|recent|serious|near fatal)(?: (?:last|first|second|third|previous|prior|recent|failed|latest|past|most recent|near fatal|serious))? attempts?`,
	`i(?: have| had| once| previously| already| nearly| almost)? (?:attempted|attempt)(?: (?:before|once|twice|three times|several times|many times|multiple times|a few times|last (?:year|month|week|night|time|summer|winter|spring|autumn)|in [0-9]{4}|when i was|as a (?:teenager|teen|kid|child)|at (?:age|the age of)|again|years ago|months ago|weeks ago|recently)| \.)`,
}

// defaultIgnores are idioms removed before the rules run. They guard the
// rules above, and any phrases a community adds, against everyday language.
// Each is written narrowly enough that removing it cannot hide a real
// crisis phrase: "to die for" only after a word like "a" or "was", so that
// "I want to die for real" still triggers.
var defaultIgnores = []string{
	// Laughter, embarrassment and longing.
	`(?:die|dies|died|dying|dead|kill|kills|killed|killing)(?: {self})? (?:laughing|of laughter|from laughter|with laughter|of laughing)`,
	`(?:die|dies|died|dying) (?:of|from|with) (?:embarrassment|boredom|cringe|excitement|happiness|cuteness|jealousy|envy|anticipation|suspense|curiosity|thirst|heat)`,
	`dying to (?:see|know|meet|try|go|get|hear|watch|tell|read|find out|visit|eat|play|show|share|ask|catch up|start|join|buy|have|talk|travel|check|hug)`,
	`(?:a|an|the|some|is|was|are|were|look|looks|looked|taste|tastes|tasted|smell|smells|smelled|sound|sounds|sounded)(?: {word}){0,2} to die for`,
	`(?:could|would) (?:kill|murder|die) for (?:a|an|some|the|another)`,
	`cross my heart (?:and )?hope to die`,
	`(?:die on (?:this|that|the|a) hill|hill to die on|hill i would die on)`,

	// Everyday killing and dying.
	`kill(?:s|ed|ing)? (?:some |the )?time`,
	`killing it`,
	`(?:bored|scared|scare|scares|scaring|frightened|frightening|worried|worrying|tickled|loved|love|loves|stressed|freezing|starving|annoyed|talked|sick) (?:me |him |her |them |us |you )?to death`,
	`(?:feet|foot|back|legs|knees|shoes|boots|hips|head|neck|tooth|teeth|joints|hangover|period|cramps|stomach) (?:are |is |were |was )?(?:killing|kill|killed) me`,
	`(?:this|that|it|he|she|you|they|joke|jokes|meme|memes|show|film|episode|series|song|comedy) (?:kills|killed) me`,
	`dead (?:tired|on my feet|beat|good|easy|serious|funny|nice|busy|quiet|chuffed|excited|bored|hungry|jealous|proud|keen|lucky|sure|set|right|heavy|cheap|slow)`,
	`(?:phone|battery|laptop|car|computer|tv|wifi|internet|conversation|chat|group chat|server|game|charger|plant|plants|headphones|torch|engine|mouse|keyboard) (?:has |had |just |finally |totally )?(?:died|dead|is dead|was dead|dying|is dying)`,
	`(?:[0-9]{1,6}|a few|few|couple of|several|some|many|ten|five|two|three|four|six|seven|eight|nine|twenty|thirty|fifty|hundred|hundreds of|thousand|thousands of|half|zero) kms`,
	`hits? me up`,
	// "Die my hair" is a common misspelling. Only "die" itself needs a
	// colour after it, so that "I want to die my hair is falling out" still
	// triggers.
	`(?:dies|died|dieing|dying|dye|dyes|dyed|dyeing) {poss} (?:hair|roots|fringe|beard|eyebrows|brows|clothes|jeans|shirt|t shirt|top|dress)`,
	`die {poss} (?:hair|roots|fringe|beard|eyebrows|brows|clothes|jeans|shirt|t shirt|top|dress) (?:pink|blue|red|green|purple|black|blonde|blond|brown|ginger|grey|gray|silver|white|orange|yellow|lilac|teal|again|back|dark|darker|light|lighter|a (?:different|new|darker|lighter) colou?r|another colou?r)`,
	`suicide squad`,

	// "Myself" idioms and accidents.
	`(?:shoot|shoots|shot|shooting) {self} in the foot`,
	`(?:cut|cuts|cutting) {self} (?:off|some slack|a break|a slice|a piece|short|free|loose)`,
	`(?:burn|burns|burned|burnt|burning) {self} out`,
	`(?:drown|drowns|drowned|drowning) {self} (?:in|with) (?:work|coffee|tea|music|books|reading|study|studying|studies|revision|tv|netflix|films|movies|games|gaming|podcasts|projects|hobbies|chores|paperwork|busywork|blankets|perfume|distractions|activities|noise)`,
	`(?:top|tops|topped|topping|gas|gassed|gassing) {self} up`,
	`(?:rope|ropes|roped|roping) {self} (?:in|into)`,
	`(?:delete|deletes|deleted|deleting) {self} (?:from|off) (?:facebook|instagram|twitter|tiktok|snapchat|discord|whatsapp|reddit|social media|the (?:server|group|group chat|chat|app|list|mailing list|internet|channel)|all (?:the )?(?:groups|group chats|apps))`,
	`(?:accidentally|accidently) (?:cut|cuts|burned|burnt|burn|hurt|hurts|stabbed|shot|hit) {self}`,
	`(?:cut|cuts|cutting|burn|burns|burned|burnt|burning|hurt|hurts|hurting)(?: {self}| {poss} (?:leg|legs|finger|fingers|hand|thumb|arm|arms|knee|face|chin)) (?:shaving|cooking|chopping|slicing|baking|ironing|gardening|by accident|accidentally|on (?:a|the|some) (?:oven|stove|hob|iron|kettle|pan|grill|tin|can|paper|glass|nail|fence|barbed wire|radiator)|in the sun|in the kitchen|at the gym|playing|training|lifting|exercising|running|skiing|skating|climbing|at football|at rugby|on my bike|falling|when i fell|doing sport)`,

	// Relationships and finishing a task, not a life.
	`(?:end|ends|ended|ending) (?:it|things|everything) with (?:him|her|them|{poss} (?:boyfriend|girlfriend|partner|husband|wife|ex|bf|gf|fiance|fiancee|date|best friend|friend|mate|therapist|counsellor|job|boss|landlord))`,
	`(?:end|ends|ended|ending) (?:it|things|this) (?:here|there)`,
	`(?:take|takes|took|taking|taken) {poss}(?: own)? life (?:back|in (?:a|my|a new) {word}|into {poss} own hands|forward|seriously|one day at a time|step by step)`,
	`disappear for (?:a|the|a few|a couple of) (?:bit|while|day|days|week|weeks|weekend|month|holiday|hour|hours|night)`,

	// "Attempt" in its everyday sense.
	`attempts? (?:at|to|on (?:a|the))`,
	`(?:on|at|in) (?:the|my|his|her|their|our|your|a) (?:first|second|third|fourth|fifth|last|final|next|latest) attempts?`,
}

// expand fills in the fragments of a default rule.
func expand(rule string) string { return fragments.Replace(rule) }
