package safety

// The tables normalise uses. They are part of normalisation rather than of
// the default lists, so Options.NoDefaults keeps them: custom phrases and
// patterns are written against the same normalised text.

// folds maps characters that stand in for plain letters: curly apostrophes,
// accented Latin letters, and Cyrillic and Greek letters that look like
// Latin ones.
var folds = map[rune]rune{
	'\u2018': '\'', '\u2019': '\'', '\u201B': '\'', '\u02BC': '\'', '\u2032': '\'', '\u00B4': '\'',
	'\u00A0': ' ',

	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ā': 'a', 'ă': 'a', 'ą': 'a',
	'À': 'a', 'Á': 'a', 'Â': 'a', 'Ã': 'a', 'Ä': 'a', 'Å': 'a',
	'ç': 'c', 'ć': 'c', 'č': 'c', 'Ç': 'c', 'ď': 'd', 'đ': 'd',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ė': 'e', 'ę': 'e', 'ě': 'e',
	'È': 'e', 'É': 'e', 'Ê': 'e', 'Ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'į': 'i', 'ı': 'i',
	'Ì': 'i', 'Í': 'i', 'Î': 'i', 'Ï': 'i', 'İ': 'i',
	'ł': 'l', 'ñ': 'n', 'ń': 'n', 'ň': 'n', 'Ñ': 'n',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o', 'ō': 'o', 'ő': 'o',
	'Ò': 'o', 'Ó': 'o', 'Ô': 'o', 'Õ': 'o', 'Ö': 'o', 'Ø': 'o',
	'ř': 'r', 'ś': 's', 'š': 's', 'ş': 's', 'ſ': 's', 'ť': 't', 'ţ': 't',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u', 'ů': 'u', 'ű': 'u',
	'Ù': 'u', 'Ú': 'u', 'Û': 'u', 'Ü': 'u',
	'ý': 'y', 'ÿ': 'y', 'Ý': 'y', 'ź': 'z', 'ż': 'z', 'ž': 'z',

	// Cyrillic look-alikes.
	'а': 'a', 'А': 'a', 'в': 'b', 'В': 'b', 'с': 'c', 'С': 'c', 'ԁ': 'd', 'е': 'e', 'Е': 'e',
	'һ': 'h', 'Н': 'h', 'і': 'i', 'І': 'i', 'ј': 'j', 'Ј': 'j', 'к': 'k', 'К': 'k',
	'м': 'm', 'М': 'm', 'о': 'o', 'О': 'o', 'р': 'p', 'Р': 'p', 'ѕ': 's', 'Ѕ': 's',
	'т': 't', 'Т': 't', 'у': 'y', 'У': 'y', 'х': 'x', 'Х': 'x', 'ԝ': 'w',

	// Greek look-alikes.
	'α': 'a', 'Α': 'a', 'Β': 'b', 'ε': 'e', 'Ε': 'e', 'Η': 'h', 'ι': 'i', 'Ι': 'i',
	'κ': 'k', 'Κ': 'k', 'Μ': 'm', 'ν': 'v', 'Ν': 'n', 'ο': 'o', 'Ο': 'o', 'ρ': 'p',
	'Ρ': 'p', 'τ': 't', 'Τ': 't', 'υ': 'u', 'Υ': 'y', 'Χ': 'x', 'Ζ': 'z',
}

// apostropheWords are contractions whose apostrophe-less spelling is a
// different word: "ill" is not "i'll", "were" is not "we're".
var apostropheWords = map[string]string{
	"i'll": "i will", "he'll": "he will", "she'll": "she will", "we'll": "we will",
	"it'll": "it will", "we're": "we are", "i'd": "i would", "he'd": "he would",
	"she'd": "she would", "we'd": "we would", "it's": "it is", "let's": "let us",
	"y'all": "you all", "ya'll": "you all",
	"od'd": "overdosed", "od'ed": "overdosed", "od'ing": "overdosing",
}

// words rewrites one word, after apostrophes are removed, into the form the
// rules are written for: contractions written with or without the
// apostrophe, chat spellings, and misspellings of the words that matter.
var words = map[string]string{
	// Contractions.
	"im": "i am", "ive": "i have", "id": "i would", "youre": "you are", "youve": "you have",
	"youll": "you will", "youd": "you would", "hes": "he is", "shes": "she is",
	"its": "it is", "thats": "that is", "theres": "there is", "whats": "what is",
	"whos": "who is", "heres": "here is", "wheres": "where is", "hows": "how is",
	"theyre": "they are", "theyve": "they have", "theyll": "they will", "theyd": "they would",
	"weve": "we have", "dont": "do not", "doesnt": "does not", "didnt": "did not",
	"cant": "cannot", "couldnt": "could not", "wouldnt": "would not", "shouldnt": "should not",
	"wont": "will not", "isnt": "is not", "arent": "are not", "wasnt": "was not",
	"werent": "were not", "havent": "have not", "hasnt": "has not", "hadnt": "had not",
	"aint": "am not", "mustnt": "must not", "neednt": "need not",
	"shouldve": "should have", "wouldve": "would have", "couldve": "could have",
	"mightve": "might have", "mustve": "must have",

	// Chat forms. "u" and "r" are safe to expand because single letters
	// spelling out a word are joined before this table is used.
	"gonna": "going to", "gona": "going to", "gunna": "going to", "finna": "going to",
	"wanna": "want to", "wana": "want to", "gotta": "got to", "tryna": "trying to",
	"hafta": "have to", "kinda": "kind of", "sorta": "sort of", "outta": "out of",
	"dunno": "do not know", "u": "you", "ya": "you", "yu": "you", "ur": "your", "r": "are",
	"b": "be", "2": "to", "ppl": "people", "some1": "someone", "any1": "anyone",
	"every1": "everyone", "no1": "no one", "noone": "no one", "nobdy": "nobody",
	"cuz": "because", "coz": "because", "cos": "because", "bc": "because",
	"rn": "right now", "tbh": "to be honest", "idk": "i do not know", "idc": "i do not care",
	"ngl": "not going to lie", "atm": "at the moment", "bout": "about", "abt": "about",
	"wud": "would", "wld": "would", "cud": "could", "cld": "could", "shud": "should",
	"shld": "should", "pls": "please", "plz": "please", "jus": "just", "jst": "just",
	"alot": "a lot", "nomore": "no more", "dnt": "do not", "wnt": "want", "wat": "what",
	"wen": "when", "thru": "through", "tho": "though", "b4": "before", "everythin": "everything",

	// Dropped final g.
	"killin": "killing", "dyin": "dying", "livin": "living", "hurtin": "hurting",
	"cuttin": "cutting", "harmin": "harming", "hangin": "hanging", "endin": "ending",
	"goin": "going", "feelin": "feeling", "thinkin": "thinking", "tryin": "trying",
	"wakin": "waking", "bein": "being", "nothin": "nothing", "somethin": "something",
	"anythin": "anything", "doin": "doing", "jumpin": "jumping", "burnin": "burning",

	// Misspellings of the words the rules hinge on. "suicide" has its own
	// pattern, as its misspellings are too many to list.
	"kil": "kill", "kll": "kill", "kiil": "kill", "kiled": "killed", "kiling": "killing",
	"kilin": "killing", "dieing": "dying", "ded": "dead", "lyf": "life", "lyfe": "life",
	"myslef": "myself", "mysefl": "myself", "myslf": "myself", "mysef": "myself",
	"mysel": "myself", "myselff": "myself", "mysself": "myself", "myselfe": "myself",
	"myseld": "myself", "meself": "myself", "miself": "myself", "msyelf": "myself",
	"urself": "yourself", "yourslef": "yourself",
	"slef": "self", "sefl": "self", "oded": "overdosed", "oding": "overdosing",
	"pils": "pills", "wihtout": "without", "witout": "without",
	"withot": "without", "anymroe": "anymore", "anymor": "anymore", "wnat": "want",
	"wan": "want", "paracetemol": "paracetamol", "paracetomol": "paracetamol",

	// Run-together phrases, mostly from hashtags: "#killmyself".
	"killmyself": "kill myself", "killingmyself": "killing myself", "iwanttodie": "i want to die",
	"wanttodie": "want to die", "endmylife": "end my life", "endit": "end it",
	"wanttodisappear": "want to disappear", "selfharm": "self harm", "selfharming": "self harming",
}

// censorable are the words uncensor tries when a word has letters starred
// out.
var censorable = []string{
	"suicide", "suicidal", "kill", "killing", "killed", "die", "died", "dying", "dead",
	"death", "myself", "self", "harm", "unalive", "overdose", "hang", "hanging", "cut",
	"cutting",
}
