package uitext

// catalog holds every key in every language of Languages. Welsh follows
// the informal-polite "chi" register used by Welsh public services.
var catalog = map[Key]map[string]string{
	WordsSkip: {"en": "skip", "cy": "hepgor, sgipio"},
	WordsBack: {"en": "back", "cy": "nôl, nol, yn ôl, yn ol, ôl"},
	WordsStop: {"en": "stop, pause, stop for now", "cy": "stopio, stopio am y tro, oedi, saib"},
	WordsHelp: {"en": "help, support", "cy": "help, cymorth, helpu"},
	WordsQuit: {"en": "quit, exit, q", "cy": "gadael, ymadael"},

	Skip:        {"en": "Skip", "cy": "Hepgor"},
	Back:        {"en": "Back", "cy": "Yn ôl"},
	StopForNow:  {"en": "Stop for now", "cy": "Stopio am y tro"},
	Continue:    {"en": "Continue", "cy": "Parhau"},
	WriteAnswer: {"en": "Write my answer", "cy": "Ysgrifennu fy ateb"},
	ChooseOne:   {"en": "Choose one", "cy": "Dewiswch un"},
	ChooseUpTo:  {"en": "Choose up to %d", "cy": "Dewiswch hyd at %d"},
	YourAnswer:  {"en": "Your answer", "cy": "Eich ateb"},
	Language:    {"en": "Language", "cy": "Iaith"},

	ProgressOf:     {"en": "%d of %d", "cy": "%d o %d"},
	ProgressLeft:   {"en": "about %d left", "cy": "tua %d ar ôl"},
	ProgressNearly: {"en": "nearly done", "cy": "bron â gorffen"},

	EarlierAnswer: {"en": "Your earlier answer", "cy": "Eich ateb blaenorol"},
	DMTextHint:    {"en": " · type your answer as a message, or use the button", "cy": " · teipiwch eich ateb fel neges, neu defnyddiwch y botwm"},
	DMNumberHint:  {"en": " · type a number as a message, or use the button", "cy": " · teipiwch rif fel neges, neu defnyddiwch y botwm"},
	SkippedAnswer: {"en": "(skipped)", "cy": "(wedi hepgor)"},

	NoteSkipped:    {"en": "Skipped", "cy": "Wedi hepgor"},
	NoteAnswer:     {"en": "Your answer: %s", "cy": "Eich ateb: %s"},
	NoteBack:       {"en": "Went back", "cy": "Wedi mynd yn ôl"},
	NotePaused:     {"en": "Paused", "cy": "Wedi oedi"},
	NoteRead:       {"en": "Read", "cy": "Wedi darllen"},
	NoteLanguage:   {"en": "Language: %s", "cy": "Iaith: %s"},
	NoteChosenFlow: {"en": "Chosen: %s", "cy": "Wedi dewis: %s"},

	Declined: {
		"en": "That's fine. Nothing about you has been kept. If you change your mind, you're welcome to run `/survey` any time.",
		"cy": "Mae hynny'n iawn. Does dim byd amdanoch chi wedi'i gadw. Os byddwch chi'n newid eich meddwl, mae croeso i chi ddefnyddio `/survey` unrhyw bryd.",
	},
	ConsentDone: {
		"en": "Thank you. Use `/survey` to choose a set of questions. You can see your data with `/mydata` and withdraw it with `/withdraw` at any time.",
		"cy": "Diolch. Defnyddiwch `/survey` i ddewis set o gwestiynau. Gallwch weld eich data gyda `/mydata` a'i dynnu'n ôl gyda `/withdraw` unrhyw bryd.",
	},
	Finished: {
		"en": "That's the end of this set of questions. Thank you for your answers.",
		"cy": "Dyna ddiwedd y set hon o gwestiynau. Diolch am eich atebion.",
	},
	AnotherSet: {
		"en": "Use `/survey` to answer another set of questions.",
		"cy": "Defnyddiwch `/survey` i ateb set arall o gwestiynau.",
	},

	SupportTitle: {"en": "Support", "cy": "Cymorth"},
	HelpIntro: {
		"en": "PeerVoice is a research tool run by this community, not a support service, and it can't give advice. If you'd like support, now or at any time, these services are there for you:",
		"cy": "Offeryn ymchwil sy'n cael ei redeg gan y gymuned hon yw PeerVoice, nid gwasanaeth cymorth, a does dim modd iddo roi cyngor. Os hoffech chi gael cymorth, nawr neu unrhyw bryd, mae'r gwasanaethau hyn ar gael i chi:",
	},
	CrisisFraming: {
		"en": "Thank you for telling us how you're feeling. It sounds like things might be really hard right now, and you don't have to face this on your own. We're a peer-support community rather than a crisis service, but these people are there to listen and help:",
		"cy": "Diolch am ddweud wrthon ni sut rydych chi'n teimlo. Mae'n swnio fel petai pethau'n anodd iawn ar hyn o bryd, a does dim rhaid i chi wynebu hyn ar eich pen eich hun. Cymuned cymorth gan gymheiriaid ydyn ni, nid gwasanaeth argyfwng, ond mae'r bobl hyn yno i wrando ac i helpu:",
	},
	ResearchNotice: {
		"en": "This is research, not a support service. Type help at any time to see where to get support.",
		"cy": "Ymchwil yw hyn, nid gwasanaeth cymorth. Teipiwch help unrhyw bryd i weld ble i gael cymorth.",
	},

	MenuTitle:       {"en": "Which would you like to answer?", "cy": "Pa un hoffech chi ei ateb?"},
	MenuPrivacy:     {"en": "Your answers are private. You can skip any question and stop whenever you like.", "cy": "Mae eich atebion yn breifat. Gallwch hepgor unrhyw gwestiwn a stopio pryd bynnag y mynnwch chi."},
	MenuPlaceholder: {"en": "Choose a set of questions", "cy": "Dewiswch set o gwestiynau"},
	MenuOneSet:      {"en": "Please choose one set of questions.", "cy": "Dewiswch un set o gwestiynau, os gwelwch yn dda."},
	NotStarted:      {"en": "not started", "cy": "heb ddechrau"},
	InProgress:      {"en": "in progress", "cy": "ar y gweill"},
	Completed:       {"en": "done", "cy": "wedi gorffen"},

	ExpiredKept: {
		"en": "Welcome back. It's been a while since you were last here, so this starts afresh. The answers you gave before have been kept and still count; skip anything you'd rather not answer again.",
		"cy": "Croeso'n ôl. Mae hi wedi bod yn sbel ers i chi fod yma ddiwethaf, felly mae hyn yn dechrau o'r newydd. Mae'r atebion a roesoch chi o'r blaen wedi'u cadw ac maen nhw'n dal i gyfrif; hepgorwch unrhyw beth nad ydych chi eisiau ei ateb eto.",
	},
	RetentionFreeText: {
		"en": "The words of your written answers are deleted %s after you give them.",
		"cy": "Mae geiriau eich atebion ysgrifenedig yn cael eu dileu %s ar ôl i chi eu rhoi.",
	},
	RetentionAnswers: {
		"en": "All your answers are deleted %s after you give them.",
		"cy": "Mae eich holl atebion yn cael eu dileu %s ar ôl i chi eu rhoi.",
	},
	RetentionDays:    {"en": "%d days", "cy": "%d o ddiwrnodau"},
	RetentionYears:   {"en": "%d years", "cy": "%d o flynyddoedd"},
	RetentionOneDay:  {"en": "one day", "cy": "un diwrnod"},
	RetentionOneYear: {"en": "one year", "cy": "blwyddyn"},
	BotPaused: {
		"en": "Paused. Your answers so far are saved. Use `/survey` whenever you'd like to carry on from here.",
		"cy": "Wedi oedi. Mae eich atebion hyd yma wedi'u cadw. Defnyddiwch `/survey` pryd bynnag yr hoffech chi barhau o'r fan hon.",
	},
	BotOutOfDate: {
		"en": "Sorry, that button is out of date. Use `/survey` to carry on.",
		"cy": "Mae'n ddrwg gen i, mae'r botwm hwnnw wedi dyddio. Defnyddiwch `/survey` i barhau.",
	},
	BotFormOutdated: {
		"en": "Sorry, that form is out of date. Use `/survey` to carry on.",
		"cy": "Mae'n ddrwg gen i, mae'r ffurflen honno wedi dyddio. Defnyddiwch `/survey` i barhau.",
	},
	BotNoSession: {
		"en": "You have no questions in progress. Use `/survey` to start.",
		"cy": "Does gennych chi ddim cwestiynau ar y gweill. Defnyddiwch `/survey` i ddechrau.",
	},
	BotStale: {
		"en": "That question has already been answered, so nothing changed. Your latest question is further down; or use `/survey` to carry on.",
		"cy": "Mae'r cwestiwn hwnnw wedi'i ateb yn barod, felly does dim byd wedi newid. Mae eich cwestiwn diweddaraf yn is i lawr; neu defnyddiwch `/survey` i barhau.",
	},
	BotStaleForm: {
		"en": "That question has already been answered, so nothing changed. Use `/survey` to carry on.",
		"cy": "Mae'r cwestiwn hwnnw wedi'i ateb yn barod, felly does dim byd wedi newid. Defnyddiwch `/survey` i barhau.",
	},
	BotHereAre: {"en": "Here are the questions: **%s**", "cy": "Dyma'r cwestiynau: **%s**"},
	BotSentDM: {
		"en": "I've sent you a private message with the questions. ✉️",
		"cy": "Rydw i wedi anfon neges breifat atoch chi gyda'r cwestiynau. ✉️",
	},
	BotDMClosed: {
		"en": "I couldn't send you a direct message: your privacy settings don't allow DMs from this server. You can turn them on in the server's menu under **Privacy Settings → Direct Messages**. Meanwhile you can answer right here: only you can see these messages.",
		"cy": "Doedd dim modd i mi anfon neges uniongyrchol atoch chi: dydy eich gosodiadau preifatrwydd ddim yn caniatáu negeseuon uniongyrchol o'r gweinydd hwn. Gallwch eu troi ymlaen yn newislen y gweinydd, o dan **Privacy Settings → Direct Messages**. Yn y cyfamser gallwch ateb yma: dim ond chi sy'n gallu gweld y negeseuon hyn.",
	},
	BotHello: {
		"en": "Hello! Use `/survey` to start or carry on with a set of questions, or `/help` for support and how PeerVoice uses your answers.",
		"cy": "Helo! Defnyddiwch `/survey` i ddechrau set o gwestiynau neu i barhau â hi, neu `/help` am gymorth ac i weld sut mae PeerVoice yn defnyddio eich atebion.",
	},
	BotSorry: {
		"en": "Sorry, something went wrong on our side. Your earlier answers are safe. Please try again in a moment.",
		"cy": "Mae'n ddrwg gen i, aeth rhywbeth o'i le ar ein hochr ni. Mae eich atebion cynharach yn ddiogel. Rhowch gynnig arall arni mewn munud.",
	},
	BotHelpText: {
		"en": "**How PeerVoice uses your answers**\n• Your answers are stored under a code, never your Discord name or id. Written answers are encrypted.\n• Researchers see only anonymised summaries; small numbers are hidden so no one can be picked out.\n• Quotes are used only if you agreed, with personal details removed, after a moderator checks them.\n• `/mydata` shows everything stored about you; `/withdraw` deletes it.\n• In a set of questions you can type **skip**, **back**, **stop** or **help** at any time.",
		"cy": "**Sut mae PeerVoice yn defnyddio eich atebion**\n• Mae eich atebion yn cael eu cadw o dan god, byth o dan eich enw na'ch id Discord. Mae atebion ysgrifenedig wedi'u hamgryptio.\n• Dim ond crynodebau dienw y mae ymchwilwyr yn eu gweld; mae niferoedd bach yn cael eu cuddio fel nad oes modd adnabod neb.\n• Dim ond os ydych chi wedi cytuno y bydd dyfyniadau'n cael eu defnyddio, heb fanylion personol, ar ôl i gymedrolwr eu gwirio.\n• Mae `/mydata` yn dangos popeth sy'n cael ei gadw amdanoch chi; mae `/withdraw` yn ei ddileu.\n• Mewn set o gwestiynau gallwch deipio **hepgor**, **nôl**, **stopio** neu **help** unrhyw bryd.",
	},
	BotUnknownCmd: {"en": "Sorry, I don't know that command any more.", "cy": "Mae'n ddrwg gen i, dydw i ddim yn adnabod y gorchymyn hwnnw bellach."},
	BotUnknownFlow: {
		"en": "Sorry, there is no set of questions called %q any more. The sets there are: %s.",
		"cy": "Mae'n ddrwg gen i, does dim set o gwestiynau o'r enw %q bellach. Y setiau sydd ar gael: %s.",
	},
	AnswerPrivately: {"en": "Answer privately", "cy": "Ateb yn breifat"},
	PromptPrivacy: {
		"en": "Your answers are private: only you see the questions, and researchers see only anonymised summaries.",
		"cy": "Mae eich atebion yn breifat: dim ond chi sy'n gweld y cwestiynau, a dim ond crynodebau dienw y mae ymchwilwyr yn eu gweld.",
	},
	PromptDefault: {"en": "We'd like to hear from you.", "cy": "Hoffen ni glywed gennych chi."},

	RemindText: {
		"en": "Hello again. You paused **%s** a little while ago; your answers so far are saved. If you'd like to carry on, it's there whenever you want: it's entirely optional, and there's no need to reply. This is the only reminder you'll get about it, and **No more reminders** turns them off.",
		"cy": "Helo eto. Fe wnaethoch chi oedi **%s** beth amser yn ôl; mae eich atebion hyd yma wedi'u cadw. Os hoffech chi barhau, mae yno pryd bynnag y dymunwch: mae'n gwbl ddewisol, a does dim angen ateb. Dyma'r unig nodyn atgoffa a gewch chi amdano, ac mae **Dim rhagor o nodiadau atgoffa** yn eu diffodd.",
	},
	RemindCarryOn: {"en": "Carry on", "cy": "Parhau"},
	RemindWaveText: {
		"en": "Hello again. A new round of **%s** is open, if you'd like to answer it again. It's entirely optional, and there's no need to reply. This is the only reminder you'll get about this round, and **No more reminders** turns them off.",
		"cy": "Helo eto. Mae rownd newydd o **%s** ar agor, os hoffech chi ei ateb eto. Mae'n gwbl ddewisol, a does dim angen ateb. Dyma'r unig nodyn atgoffa a gewch chi am y rownd hon, ac mae **Dim rhagor o nodiadau atgoffa** yn eu diffodd.",
	},
	RemindWaveStart: {"en": "Start the new round", "cy": "Dechrau'r rownd newydd"},
	RemindStop:      {"en": "No more reminders", "cy": "Dim rhagor o nodiadau atgoffa"},
	RemindStopped: {
		"en": "Done: PeerVoice won't send you reminders. Using `/survey` again turns them back on.",
		"cy": "Wedi'i wneud: fydd PeerVoice ddim yn anfon nodiadau atgoffa atoch chi. Mae defnyddio `/survey` eto yn eu troi yn ôl ymlaen.",
	},
	RemindMyDataOn: {
		"en": "**Reminders**: on. PeerVoice keeps your Discord id, encrypted, only to send you at most one gentle reminder about a set of questions you paused.",
		"cy": "**Nodiadau atgoffa**: ymlaen. Mae PeerVoice yn cadw eich id Discord, wedi'i amgryptio, dim ond i anfon un nodyn atgoffa ysgafn ar y mwyaf am set o gwestiynau y gwnaethoch chi ei hoedi.",
	},
	RemindMyDataOff: {
		"en": "**Reminders**: off (you pressed No more reminders on %s). Using `/survey` again turns them back on.",
		"cy": "**Nodiadau atgoffa**: i ffwrdd (fe wnaethoch chi bwyso Dim rhagor o nodiadau atgoffa ar %s). Mae defnyddio `/survey` eto yn eu troi yn ôl ymlaen.",
	},

	TermGoodbye: {"en": "Goodbye. Thank you for being here.", "cy": "Hwyl fawr. Diolch am fod yma."},
	TermQuitPaused: {
		"en": "Paused. Your answers so far are saved; run the same command again to carry on where you left off.",
		"cy": "Wedi oedi. Mae eich atebion hyd yma wedi'u cadw; rhedwch yr un gorchymyn eto i barhau o'r man lle gwnaethoch chi adael.",
	},
	TermScratchEnded: {
		"en": "Stopped. This was a scratch run (chat --scratch): nothing you answered is kept.",
		"cy": "Wedi stopio. Rhediad prawf oedd hwn (chat --scratch): does dim o'ch atebion wedi'u cadw.",
	},
	TermPaused: {
		"en": "Paused. Your answers so far are saved; you can carry on at the same question later.",
		"cy": "Wedi oedi. Mae eich atebion hyd yma wedi'u cadw; gallwch barhau o'r un cwestiwn yn nes ymlaen.",
	},
	TermStale: {
		"en": "That answer was for an earlier question, so nothing changed.",
		"cy": "Roedd yr ateb hwnnw ar gyfer cwestiwn cynharach, felly does dim byd wedi newid.",
	},
	TermDeclined: {
		"en": "That's fine. Nothing about you has been kept. If you change your mind, you're welcome back any time.",
		"cy": "Mae hynny'n iawn. Does dim byd amdanoch chi wedi'i gadw. Os byddwch chi'n newid eich meddwl, mae croeso i chi ddod yn ôl unrhyw bryd.",
	},
	TermConsentDone: {"en": "Thank you. You can see or withdraw your data at any time.", "cy": "Diolch. Gallwch weld eich data, neu ei dynnu'n ôl, unrhyw bryd."},
	TermMenuHint: {
		"en": "Type a number, or quit. Type help at any time for support.",
		"cy": "Teipiwch rif, neu gadael. Teipiwch help unrhyw bryd am gymorth.",
	},
	TermNotRecognise: {
		"en": "Sorry, I didn't recognise %q. Type a number from 1 to %d.",
		"cy": "Mae'n ddrwg gen i, doeddwn i ddim yn adnabod %q. Teipiwch rif o 1 i %d.",
	},
	TermKeepEarlier: {"en": "Your earlier answer: %s (press Enter to keep it)", "cy": "Eich ateb blaenorol: %s (pwyswch Enter i'w gadw)"},
	TermHintInfo: {
		"en": "Press Enter to continue, or type back, stop or help.",
		"cy": "Pwyswch Enter i barhau, neu teipiwch nôl, stopio neu help.",
	},
	TermHintMulti: {
		"en": "Type one or more numbers separated by commas, or skip, back, stop, help.",
		"cy": "Teipiwch un rhif neu fwy, wedi'u gwahanu gan atalnodau, neu hepgor, nôl, stopio, help.",
	},
	TermHintChoice: {"en": "Type a number, or skip, back, stop, help.", "cy": "Teipiwch rif, neu hepgor, nôl, stopio, help."},
	TermHintNumber: {"en": "Type a number, or skip, back, stop, help.", "cy": "Teipiwch rif, neu hepgor, nôl, stopio, help."},
	TermHintText: {
		"en": "Type your answer, or skip, back, stop, help (quit to leave).",
		"cy": "Teipiwch eich ateb, neu hepgor, nôl, stopio, help (gadael i orffen y sgwrs).",
	},
	TermUnsent: {
		"en": "What you had typed was not sent, so it is not saved as an answer: an answer counts once you press Enter.",
		"cy": "Ni chafodd yr hyn roeddech chi wedi'i deipio ei anfon, felly nid yw wedi'i gadw fel ateb: mae ateb yn cyfrif pan fyddwch chi'n pwyso Enter.",
	},
	TermTooLong: {
		"en": "That answer is too long (%d characters; no question takes more than %d). Please shorten it.",
		"cy": "Mae'r ateb yna'n rhy hir (%d nod; does dim cwestiwn yn derbyn mwy na %d). Byrhewch ef, os gwelwch yn dda.",
	},
	TermEchoTooLong: {"en": "(a line of %d characters)", "cy": "(llinell o %d nod)"},
	TermFinished:    {"en": "You finished %q on %s.", "cy": "Fe orffennoch chi %q ar %s."},
	TermFinishedBefore: {
		"en": "You have finished %q before.",
		"cy": "Rydych chi wedi gorffen %q o'r blaen.",
	},
	TermSeeAnswers: {"en": "See your answers", "cy": "Gweld eich atebion"},
	TermAnswerAgain: {
		"en": "Answer these questions again: a second set of answers, kept beside your earlier ones",
		"cy": "Ateb y cwestiynau hyn eto: ail set o atebion, wedi'i chadw wrth ymyl eich atebion cynharach",
	},
	TermBackToList:   {"en": "Back to the list", "cy": "Yn ôl i'r rhestr"},
	TermLeave:        {"en": "Leave for now", "cy": "Gadael am y tro"},
	TermFinishedHint: {"en": "Type a number.", "cy": "Teipiwch rif."},
	TermFinishedUnknown: {
		"en": "Sorry, I didn't recognise %q. Type 1, 2 or 3.",
		"cy": "Mae'n ddrwg gen i, doeddwn i ddim yn adnabod %q. Teipiwch 1, 2 neu 3.",
	},
	TermNoAnswers: {
		"en": "No answers to these questions are stored.",
		"cy": "Does dim atebion i'r cwestiynau hyn wedi'u cadw.",
	},
	TermYourAnswers: {"en": "Your answers to %q:", "cy": "Eich atebion i %q:"},
	WaveNotYet: {
		"en": "You finished %q on %s, thank you. These questions are asked %s: the next round opens on %s, and you're welcome to come back then. You can see your answers at any time with `/mydata`.",
		"cy": "Fe orffennoch chi %q ar %s, diolch. Mae'r cwestiynau hyn yn cael eu gofyn %s: mae'r rownd nesaf yn agor ar %s, ac mae croeso i chi ddod yn ôl bryd hynny. Gallwch weld eich atebion unrhyw bryd gyda `/mydata`.",
	},
	TermWaveNotYet: {
		"en": "These questions are asked %s: the next round opens on %s.",
		"cy": "Mae'r cwestiynau hyn yn cael eu gofyn %s: mae'r rownd nesaf yn agor ar %s.",
	},
	TermNextWave: {
		"en": "Answer round %d of these questions (your earlier answers are kept)",
		"cy": "Ateb rownd %d o'r cwestiynau hyn (bydd eich atebion cynharach yn cael eu cadw)",
	},
	TermFinishedUnknown2: {
		"en": "Sorry, I didn't recognise %q. Type 1 or 2.",
		"cy": "Mae'n ddrwg gen i, doeddwn i ddim yn adnabod %q. Teipiwch 1 neu 2.",
	},
	RepeatWeekly:  {"en": "every week", "cy": "bob wythnos"},
	RepeatMonthly: {"en": "every month", "cy": "bob mis"},
	RepeatDays:    {"en": "every %d days", "cy": "bob %d diwrnod"},
	TermMenuHelp: {
		"en": `How this works:
• Type the number of a set of questions and press Enter; quit to leave.
• Each line says whether you have done that set, are part-way through it, or have not started it.
• In the questions, type skip, back, stop or help at any time.
• peervoice mydata shows everything stored about you; peervoice withdraw deletes it.`,
		"cy": `Sut mae hyn yn gweithio:
• Teipiwch rif set o gwestiynau a phwyswch Enter; gadael i orffen.
• Mae pob llinell yn dweud a ydych chi wedi gwneud y set honno, wedi dechrau arni, neu heb ddechrau eto.
• Yn y cwestiynau, teipiwch hepgor, nôl, stopio neu help unrhyw bryd.
• Mae peervoice mydata yn dangos popeth sydd wedi'i gadw amdanoch chi; mae peervoice withdraw yn ei ddileu.`,
	},
	TermQuestionHelp: {
		"en": `How to answer:
• Type the number of an answer, or its words, and press Enter. Where you may choose several, separate the numbers with commas: 1, 3
• For a written answer, type it on one line and press Enter.
• Press Enter on its own to keep your earlier answer, when one is shown.
• skip: leave this question unanswered
• back: go back to the question before
• stop: stop these questions for now; your answers so far are saved, and you carry on at the same question later
• quit: leave PeerVoice; your answers so far are saved
• help: this message, and where to find support
• peervoice mydata shows everything stored about you; peervoice withdraw deletes it.`,
		"cy": `Sut i ateb:
• Teipiwch rif ateb, neu ei eiriau, a phwyswch Enter. Lle cewch chi ddewis sawl un, gwahanwch y rhifau ag atalnodau: 1, 3
• Ar gyfer ateb ysgrifenedig, teipiwch ef ar un llinell a phwyswch Enter.
• Pwyswch Enter ar ei ben ei hun i gadw eich ateb cynharach, pan fydd un yn cael ei ddangos.
• hepgor: gadael y cwestiwn hwn heb ei ateb
• nôl: mynd yn ôl i'r cwestiwn blaenorol
• stopio: stopio'r cwestiynau hyn am y tro; mae eich atebion hyd yma wedi'u cadw, a byddwch chi'n parhau o'r un cwestiwn yn nes ymlaen
• gadael: gadael PeerVoice; mae eich atebion hyd yma wedi'u cadw
• help neu cymorth: y neges hon, a ble i gael cymorth
• Mae peervoice mydata yn dangos popeth sydd wedi'i gadw amdanoch chi; mae peervoice withdraw yn ei ddileu.
(Mae'r geiriau Saesneg skip, back, stop a quit yn gweithio hefyd.)`,
	},

	ReasonFirstQuestion: {
		"en": "This is the first question, so there is nothing to go back to.",
		"cy": "Dyma'r cwestiwn cyntaf, felly does dim byd i fynd yn ôl ato.",
	},
	ReasonJustOne:    {"en": "Please choose just one answer.", "cy": "Dewiswch un ateb yn unig, os gwelwch yn dda."},
	ReasonAtLeastOne: {"en": "Please choose at least 1 answer.", "cy": "Dewiswch o leiaf 1 ateb, os gwelwch yn dda."},
	ReasonAtLeast:    {"en": "Please choose at least %d answers.", "cy": "Dewiswch o leiaf %d ateb, os gwelwch yn dda."},
	ReasonAtMostOne:  {"en": "Please choose no more than 1 answer.", "cy": "Dewiswch 1 ateb ar y mwyaf, os gwelwch yn dda."},
	ReasonAtMost:     {"en": "Please choose no more than %d answers.", "cy": "Dewiswch %d ateb ar y mwyaf, os gwelwch yn dda."},
	ReasonTypeAnswer: {"en": "Please type your answer.", "cy": "Teipiwch eich ateb, os gwelwch yn dda."},
	ReasonEmpty: {
		"en": "That looked empty. Please type your answer, or skip this question.",
		"cy": "Roedd hwnnw'n edrych yn wag. Teipiwch eich ateb, neu hepgorwch y cwestiwn hwn.",
	},
	ReasonTooLong: {
		"en": "That answer is %d characters, and the limit here is %d. Could you shorten it, or send the rest as your answer to a later question?",
		"cy": "Mae'r ateb hwnnw'n %d nod o hyd, a'r terfyn yma yw %d. Allech chi ei fyrhau, neu anfon y gweddill fel eich ateb i gwestiwn diweddarach?",
	},
	ReasonTypeNumber: {"en": "Please type a number.", "cy": "Teipiwch rif, os gwelwch yn dda."},
	ReasonNotNumber:  {"en": "Please type a number, such as 3.", "cy": "Teipiwch rif, fel 3."},
	ReasonBetween:    {"en": "Please type a number from %s to %s.", "cy": "Teipiwch rif o %s i %s."},
	ReasonAtLeastN:   {"en": "Please type a number of at least %s.", "cy": "Teipiwch rif sydd o leiaf %s."},
	ReasonAtMostN:    {"en": "Please type a number of no more than %s.", "cy": "Teipiwch rif sydd ddim yn fwy na %s."},
	ReasonNotAnOption: {
		"en": "That isn't one of the answers to this question. Please choose from the list.",
		"cy": "Dydy hwnnw ddim yn un o'r atebion i'r cwestiwn hwn. Dewiswch o'r rhestr, os gwelwch yn dda.",
	},
	ReasonNotRecognised: {
		"en": "Sorry, I didn't recognise %s. Please choose a number from 1 to %d, or type skip.",
		"cy": "Mae'n ddrwg gen i, doeddwn i ddim yn adnabod %s. Dewiswch rif o 1 i %d, neu teipiwch hepgor.",
	},
	ReasonChoose: {"en": "Please choose an answer, or skip this question.", "cy": "Dewiswch ateb, neu hepgorwch y cwestiwn hwn."},
}
