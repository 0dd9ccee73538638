package terminal

// The terminal's own words, in one place. The flows' questions, the
// consent text and the support resources come from their own sources.
const (
	msgGoodbye = "Goodbye. Thank you for being here."
	msgPaused  = "Paused. Your answers so far are saved; run the same command again to carry on where you left off."
	// msgUnsent follows text typed and left without Enter when input
	// ended (Ctrl-D): it was not taken as an answer.
	msgUnsent = "What you had typed was not sent, so it is not saved as an answer: an answer counts once you press Enter."
	// msgTooLong takes the line's length and the longest answer any
	// question takes.
	msgTooLong = "That answer is too long (%d characters; no question takes more than %d). Please shorten it."
	// msgEchoTooLong stands for an over-long line in an echoed transcript.
	msgEchoTooLong = "(a line of %d characters)"

	msgMenuTitle  = "Which would you like to answer?"
	msgMenuPrompt = "Type a number, or quit. Type help at any time for support."
	// msgMenuUnknown takes what was typed and the number of flows.
	msgMenuUnknown = "Sorry, I didn't recognise %q. Type a number from 1 to %d."

	// msgFinished takes the flow's title and the date it was finished.
	msgFinished      = "You finished %q on %s."
	msgFinishedNever = "You have finished %q before."
	msgSeeAnswers    = "See your answers"
	msgAnswerAgain   = "Answer these questions again: a second set of answers, kept beside your earlier ones"
	msgBackToMenu    = "Back to the list"
	msgLeave         = "Leave for now"
	msgFinishedHint  = "Type a number."
	// msgFinishedUnknown takes what was typed.
	msgFinishedUnknown = "Sorry, I didn't recognise %q. Type 1, 2 or 3."
	msgNoAnswers       = "No answers to these questions are stored."
	// msgYourAnswers takes the flow's title.
	msgYourAnswers = "Your answers to %q:"

	// msgMenuHelp is shown for help at the menu, before the support
	// resources.
	msgMenuHelp = `How this works:
• Type the number of a set of questions and press Enter; quit to leave.
• Each line says whether you have done that set, are part-way through it, or have not started it.
• In the questions, type skip, back, stop or help at any time.
• peervoice mydata shows everything stored about you; peervoice withdraw deletes it.`

	// msgQuestionHelp is shown for help at a question, before the
	// support resources.
	msgQuestionHelp = `How to answer:
• Type the number of an answer, or its words, and press Enter. Where you may choose several, separate the numbers with commas: 1, 3
• For a written answer, type it on one line and press Enter.
• Press Enter on its own to keep your earlier answer, when one is shown.
• skip: leave this question unanswered
• back: go back to the question before
• stop: stop these questions for now; your answers so far are saved, and you carry on at the same question later
• quit: leave PeerVoice; your answers so far are saved
• help: this message, and where to find support
• peervoice mydata shows everything stored about you; peervoice withdraw deletes it.`
)
