package uitext

// The keys of the catalog, grouped by where they are shown. Strings with
// verbs (%d, %s) take the same verbs, in the same order, in every
// language.
const (
	// Typed commands: comma-separated words, any of which works.
	WordsSkip Key = "words.skip"
	WordsBack Key = "words.back"
	WordsStop Key = "words.stop"
	WordsHelp Key = "words.help"
	WordsQuit Key = "words.quit"

	// Controls on a question.
	Skip        Key = "control.skip"
	Back        Key = "control.back"
	StopForNow  Key = "control.stop"
	Continue    Key = "control.continue"
	WriteAnswer Key = "control.write"
	ChooseOne   Key = "control.choose_one"
	ChooseUpTo  Key = "control.choose_up_to" // %d
	YourAnswer  Key = "control.your_answer"
	Language    Key = "control.language" // a language menu's placeholder

	// Where the participant is.
	ProgressOf     Key = "progress.of"   // %d of %d
	ProgressLeft   Key = "progress.left" // about %d left
	ProgressNearly Key = "progress.nearly"

	// What a question shows and how an answer reads.
	EarlierAnswer Key = "ask.earlier"
	DMTextHint    Key = "ask.dm_text_hint"
	DMNumberHint  Key = "ask.dm_number_hint"
	SkippedAnswer Key = "answer.skipped" // an answer as a participant reads it

	// Notes on a question message once it has been left.
	NoteSkipped    Key = "note.skipped"
	NoteAnswer     Key = "note.answer" // %s
	NoteBack       Key = "note.back"
	NotePaused     Key = "note.paused"
	NoteRead       Key = "note.read"
	NoteLanguage   Key = "note.language" // %s, the language's name
	NoteChosenFlow Key = "note.chosen"   // %s, the flow's title

	// A session left unfinished too long was closed as a partial
	// response: the participant starts afresh (every front end).
	ExpiredKept Key = "note.expired_kept"

	// The retention period, stated with the study information.
	RetentionFreeText Key = "retention.free_text" // %s, a period
	RetentionAnswers  Key = "retention.answers"   // %s, a period
	RetentionDays     Key = "retention.days"      // %d
	RetentionYears    Key = "retention.years"     // %d
	RetentionOneDay   Key = "retention.one_day"
	RetentionOneYear  Key = "retention.one_year"

	// Endings.
	Declined    Key = "end.declined"
	ConsentDone Key = "end.consent"
	Finished    Key = "end.finished"
	AnotherSet  Key = "end.another"

	// Support.
	SupportTitle   Key = "support.title"
	HelpIntro      Key = "support.help"
	CrisisFraming  Key = "support.crisis"
	ResearchNotice Key = "support.not_a_service"

	// The menu of flows.
	MenuTitle       Key = "menu.title"
	MenuPrivacy     Key = "menu.privacy"
	MenuPlaceholder Key = "menu.placeholder"
	MenuOneSet      Key = "menu.one_set"
	NotStarted      Key = "menu.not_started"
	InProgress      Key = "menu.in_progress"
	Completed       Key = "menu.done"

	// Discord messages.
	BotPaused       Key = "bot.paused"
	BotOutOfDate    Key = "bot.button_out_of_date"
	BotFormOutdated Key = "bot.form_out_of_date"
	BotNoSession    Key = "bot.no_session"
	BotStale        Key = "bot.stale"
	BotStaleForm    Key = "bot.stale_form"
	BotHereAre      Key = "bot.here_are" // %s, the flow's title
	BotSentDM       Key = "bot.sent_dm"
	BotDMClosed     Key = "bot.dm_closed"
	BotHello        Key = "bot.hello"
	BotSorry        Key = "bot.sorry"
	BotHelpText     Key = "bot.help_text"
	BotUnknownCmd   Key = "bot.unknown_command"
	BotUnknownFlow  Key = "bot.unknown_flow" // %q, the flow id; %s, the flows there are
	AnswerPrivately Key = "prompt.answer_privately"
	PromptPrivacy   Key = "prompt.privacy"
	PromptDefault   Key = "prompt.default"

	// A gentle reminder to a participant who paused a flow (bot/reminder*.go).
	RemindText      Key = "remind.text"       // %s, the flow's title
	RemindCarryOn   Key = "remind.carry_on"   // the button that resumes the flow
	RemindWaveText  Key = "remind.wave_text"  // %s, the flow's title: its next round is open
	RemindWaveStart Key = "remind.wave_start" // the button that starts the next round
	RemindStop      Key = "remind.stop"       // the button that turns reminders off
	RemindStopped   Key = "remind.stopped"    // after No more reminders
	RemindMyDataOn  Key = "remind.mydata_on"
	RemindMyDataOff Key = "remind.mydata_off" // %s, the date

	// Terminal messages.
	TermGoodbye      Key = "term.goodbye"
	TermQuitPaused   Key = "term.quit_paused"
	TermPaused       Key = "term.paused"
	TermScratchEnded Key = "term.scratch_ended"
	TermStale        Key = "term.stale"
	TermDeclined     Key = "term.declined"
	TermConsentDone  Key = "term.consent"
	TermMenuHint     Key = "term.menu_hint"
	TermNotRecognise Key = "term.not_recognised" // %q, %d
	TermKeepEarlier  Key = "term.keep_earlier"   // %s
	TermHintInfo     Key = "term.hint_info"
	TermHintMulti    Key = "term.hint_multi"
	TermHintChoice   Key = "term.hint_choice"
	TermHintNumber   Key = "term.hint_number"
	TermHintText     Key = "term.hint_text"
	// TermUnsent follows text typed and left without Enter when input
	// ended (Ctrl-D): it was not taken as an answer.
	TermUnsent          Key = "term.unsent"
	TermTooLong         Key = "term.too_long"      // %d, the line's length; %d, the longest answer any question takes
	TermEchoTooLong     Key = "term.echo_too_long" // %d: stands for an over-long line in an echoed transcript
	TermFinished        Key = "term.finished"      // %q, the flow's title; %s, the date
	TermFinishedBefore  Key = "term.finished_before"
	TermSeeAnswers      Key = "term.see_answers"
	TermAnswerAgain     Key = "term.answer_again"
	TermBackToList      Key = "term.back_to_list"
	TermLeave           Key = "term.leave"
	TermFinishedHint    Key = "term.finished_hint"
	TermFinishedUnknown Key = "term.finished_unknown" // %q
	TermNoAnswers       Key = "term.no_answers"
	// The waves of a repeating flow (repeat: in its file).
	WaveNotYet           Key = "wave.not_yet"           // %q, the flow's title; %s, the date finished; %s, RepeatEvery…; %s, the date it opens
	TermWaveNotYet       Key = "term.wave_not_yet"      // %s, RepeatEvery…; %s, the date the next round opens
	TermNextWave         Key = "term.next_wave"         // %d, the round's number
	TermFinishedUnknown2 Key = "term.finished_unknown2" // %q
	RepeatWeekly         Key = "repeat.weekly"
	RepeatMonthly        Key = "repeat.monthly"
	RepeatDays           Key = "repeat.days"       // %d
	TermYourAnswers      Key = "term.your_answers" // %q, the flow's title
	// TermMenuHelp and TermQuestionHelp are shown for help at the menu
	// and at a question, before the support resources.
	TermMenuHelp     Key = "term.menu_help"
	TermQuestionHelp Key = "term.question_help"

	// The engine's reasons for asking again.
	ReasonFirstQuestion Key = "reason.first_question"
	ReasonJustOne       Key = "reason.just_one"
	ReasonAtLeastOne    Key = "reason.at_least_one"
	ReasonAtLeast       Key = "reason.at_least" // %d
	ReasonAtMostOne     Key = "reason.at_most_one"
	ReasonAtMost        Key = "reason.at_most" // %d
	ReasonTypeAnswer    Key = "reason.type_answer"
	ReasonEmpty         Key = "reason.empty"
	ReasonTooLong       Key = "reason.too_long" // %d, %d
	ReasonTypeNumber    Key = "reason.type_number"
	ReasonNotNumber     Key = "reason.not_number"
	ReasonBetween       Key = "reason.between" // %s, %s
	ReasonAtLeastN      Key = "reason.at_least_n"
	ReasonAtMostN       Key = "reason.at_most_n"
	ReasonNotAnOption   Key = "reason.not_an_option"
	ReasonNotRecognised Key = "reason.not_recognised" // %s (quoted), %d
	ReasonChoose        Key = "reason.choose"
)
