// Package discordtest is an in-process emulator of the parts of Discord a
// bot uses, for tests that drive the real discordgo client end to end.
// It imports no other PeerVoice package, so any package's tests may use it.
//
// Each test starts its own emulator, an httptest server on 127.0.0.1 that
// serves the REST API under both /api/v9/ and /api/v10/ and the JSON
// gateway over websocket:
//
//	e := discordtest.New(t) // stops itself with t.Cleanup
//	s, _ := discordgo.New("Bot " + e.Token())
//	s.Client = e.HTTPClient() // rewrites https://discord.com/api/... to the emulator
//	s.AddHandler(...)
//	if err := s.Open(); err != nil { ... } // GET /gateway hands out e.GatewayURL()
//	defer s.Close()
//
// discordgo's package-level Endpoint variables are never touched, so tests
// can run in parallel, one emulator each.
//
// # Simulated users
//
// e.User("alice") returns a simulated user. Users send DMs (SendDM), run
// slash commands in their DM (RunCommand) or in a guild channel
// (RunCommandIn, with Opt and Sub for options), click buttons (Click),
// pick from select menus (Choose) and fill in modals (WaitModal, then
// SubmitModal). Each of these checks what Discord's client would allow —
// the command is registered and available to the user, the button exists
// and is enabled — and fails otherwise. What the bot sends back is awaited
// with WaitMessage, which returns new messages and new edits in turn (see
// its documentation); Messages lists them all. Guilds come from AddGuild,
// with AddChannel, AddRole (for example with PermissionManageGuild) and
// AddMember. Nothing sleeps: waits take a context and wake on changes.
//
// A typical test:
//
//	alice := e.User("alice")
//	alice.SendDM("menu")
//	menu, err := alice.WaitMessage(ctx, discordtest.HasComponent("yes"))
//	...
//	_, err = alice.Click(menu, "yes")
//	updated, err := alice.WaitMessage(ctx, nil) // the menu, edited by UPDATE_MESSAGE
//	if updated.Interactive() { t.Error("buttons still enabled") }
//
// # Checking the bot
//
// Every request is checked, and a violation fails the test through
// t.Errorf (and is answered with the error Discord would send, usually
// 400 with code 50035):
//
//   - Its JSON body (or the payload_json of a multipart body) is validated
//     against the request body schema of its operation in Discord's
//     OpenAPI 3.1 description, read from $PEERVOICE_DISCORD_SPEC or from
//     ../shared/discord-api-spec/openapi.json next to the module root. The
//     description is parsed once per process and each operation's schema
//     compiled on first use. If the file is missing this layer is skipped,
//     with a t.Log saying so; ValidatesOpenAPI tells a test of that layer
//     to skip itself. Every body is validated, except under
//     WithValidationSample, which only the load benchmark uses
//     (internal/loadtest): then the first body of each route, each body of
//     a shape new to its route and 1 in n of the rest; ValidationStats
//     counts them.
//   - Documented limits the description does not encode: 2,000 characters
//     of content; 10 embeds, 6,000 characters across them, 25 fields and
//     the per-field lengths; 5 action rows of at most 5 buttons; a select
//     menu alone in its row with at most 25 options; custom_id of at most
//     100 characters and unique in a message; modal text inputs of at most
//     4,000 characters; 10 files.
//   - Uploads: files in the multipart fields files[0] to files[9], each
//     with a file name (not a path), every new attachment listed in
//     payload_json's "attachments" uploaded, and the files together no
//     larger than the upload limit (WithUploadLimit; DefaultUploadLimit,
//     Discord's 10 MiB for servers without boosts). Over the limit the
//     answer is Discord's 413 with code 40005, and a limit violation is
//     recorded: a bot should check sizes before uploading.
//   - The interaction flow: the initial response must come within 3
//     seconds (WithInteractionDeadline), only once (a second gets 40060),
//     and with a callback type that fits the interaction. Interactions never
//     answered are reported when the test ends. The deadline is timed by
//     the emulator's clock, the wall clock unless WithClock says otherwise:
//     a test that is not about it can give a long deadline, so that a busy
//     machine does not fail it, and test the deadline with a FakeClock or
//     by the order of events.
//
// A test that provokes a violation on purpose declares it first with
// ExpectViolation (a skipped test is not failed for expectations it did
// not meet); Violations lists everything recorded.
//
// # Failures on demand
//
// FailNext makes requests fail with a Fault: RateLimit (a JSON 429 with
// retry_after and X-RateLimit headers), RateLimitGlobal, RateLimitNonJSON
// (Cloudflare's HTML 429), ServerError or any APIError. User.CloseDMs makes
// DMs to a user fail with 50007. A FakeClock (WithClock) moves interaction
// deadlines and the 15-minute token lifetime (WithTokenLifetime) without
// waiting. On the gateway, RequestReconnect sends op 7, InvalidateSession
// op 9, DropConnections cuts connections, CloseConnections closes them with
// a code, ExpireSessions ends sessions so that the next RESUME gets op 9,
// RefuseResumes closes every RESUME with a code such as 4007, and
// SuspendHeartbeatACKs stops acknowledging heartbeats. ResetToken
// refuses the bot's token from then on, as Reset Token in the developer
// portal does: 401 on REST, 4004 on the gateway (which checks the
// Authorization header and the IDENTIFY and RESUME tokens throughout).
// GatewayStats and WaitGateway tell what the client did about it (IDENTIFY
// or RESUME, close codes, resume_gateway_url used or not); Requests and
// RequestsTo log every REST request.
//
// # discordgo v0.28.1 behaviour worth knowing
//
// The tests of this package pin these down for a bare discordgo session;
// the bot works around the second and third (internal/discordfix, tested
// in bot/gateway_e2e_test.go with ResumeURLConnections,
// ResumeURLIdentifies, IdentifyAt and InvalidSessionAt):
//
//   - It requests the gateway URL with GET /api/v9/gateway and connects
//     with ?v=9&encoding=json: gateway v9, not v10.
//   - It ignores resume_gateway_url and resumes on the original URL.
//   - On op 9 it identifies again at once on the same connection, whatever
//     d says and without the back-off Discord asks for.
//   - After five heartbeat intervals without an ACK it closes with code
//     1000, which ends the session on Discord; its RESUME then gets op 9 and
//     it identifies again, so the events in between are lost. After op 7
//     (it closes with 1012), a dropped connection or a close from the
//     server, it resumes.
//   - Session.Close sleeps one second.
//   - A 429 with a JSON body is retried after retry_after, without limit;
//     the Retry-After header is ignored. A 429 with a non-JSON body is not
//     retried: the call returns the *json.SyntaxError from decoding it,
//     not a *RESTError. 502 is retried up to MaxRestRetries times; other
//     5xx are returned at once.
//   - default_member_permissions is sent as a string, which Discord
//     accepts although its OpenAPI description says integer; the emulator
//     exempts it.
//   - An ActionsRow with no components is sent as "components": null,
//     which Discord refuses.
package discordtest
