package discordtest

import (
	"context"
	"time"
)

// User is a simulated Discord user who talks to the bot. Get one with
// Emulator.User. Its methods are safe to call from many goroutines, so
// hundreds of users can act at once.
type User struct {
	ID   string
	Name string

	e           *Emulator
	dm          *Channel
	dmClosed    bool
	locale      string // the client's language; "" reads en-US
	inbox       feed   // what the bot sent that this user can see
	modals      []*Modal
	modalsTaken int
}

// User returns the simulated user called name, creating it on first use.
func (e *Emulator) User(name string) *User {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.usersByName[name]; u != nil {
		return u
	}
	u := &User{ID: e.ids.next(), Name: name, e: e}
	e.users[u.ID] = u
	e.usersByName[name] = u
	return u
}

// DMChannelID returns the id of the user's DM channel with the bot,
// creating the channel if needed.
func (u *User) DMChannelID() string {
	u.e.mu.Lock()
	defer u.e.mu.Unlock()
	return u.e.dmChannel(u).ID
}

// CloseDMs makes the user refuse DMs (as when they turn off "Allow direct
// messages" or block the bot): the bot's messages to their DM channel then
// fail with 403, code 50007 "Cannot send messages to this user".
func (u *User) CloseDMs() {
	u.e.mu.Lock()
	defer u.e.mu.Unlock()
	u.dmClosed = true
}

// SetLocale sets the language of the user's Discord client (a Discord
// locale such as "en-GB", "cy" or "es-ES"), sent as the locale of every
// interaction they start from now on. The default is "en-US".
func (u *User) SetLocale(locale string) {
	u.e.mu.Lock()
	defer u.e.mu.Unlock()
	u.locale = locale
}

// CloseDMs is User.CloseDMs for the user with the given id; it reports
// whether there is such a user.
func (e *Emulator) CloseDMs(userID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[userID]
	if u != nil {
		u.dmClosed = true
	}
	return u != nil
}

// OpenDMs undoes CloseDMs.
func (u *User) OpenDMs() {
	u.e.mu.Lock()
	defer u.e.mu.Unlock()
	u.dmClosed = false
}

// SendDM sends content to the bot in a direct message. The bot receives
// MESSAGE_CREATE if its session has the DIRECT_MESSAGES intent; a bot that
// is offline simply misses it. It returns the id of the message.
func (u *User) SendDM(content string) string {
	e := u.e
	e.mu.Lock()
	ch := e.dmChannel(u)
	m := &message{id: e.ids.next(), ch: ch, author: u, content: content, created: e.cfg.clock.Now()}
	e.messages[m.id] = m
	ch.messages = append(ch.messages, m)
	payload := e.messageJSON(m)
	e.mu.Unlock()
	e.dispatchMessage("MESSAGE_CREATE", ch, payload)
	return m.id
}

// WaitMessage waits until the bot has sent something this user can see
// (a message in their DM channel, or a response or follow-up to one of
// their interactions, ephemeral or not) for which match returns true, and
// returns it as it is now. A nil match accepts any message.
//
// Each call returns a message, or a newer state of it, that no earlier call
// on this user returned: after a message has been returned, it counts again
// only once it is edited. So successive calls step through new messages,
// and after a click answered with an UPDATE_MESSAGE the edited message
// comes back. Deferred responses still "thinking" and deleted messages are
// skipped. The error, when ctx ends first, lists what the user saw.
func (u *User) WaitMessage(ctx context.Context, match func(Message) bool) (Message, error) {
	return u.e.waitFeed(ctx, &u.inbox, "user "+u.Name, match)
}

// WaitMessageFor is WaitMessage with a timeout instead of a context.
func (u *User) WaitMessageFor(timeout time.Duration, match func(Message) bool) (Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return u.WaitMessage(ctx, match)
}

// Messages returns everything the bot sent that the user can see, oldest
// first, in its current state.
func (u *User) Messages() []Message {
	return u.e.snapshots(&u.inbox)
}

// WaitModal waits until the bot answers one of the user's interactions with
// a modal that no earlier WaitModal returned, and returns it.
func (u *User) WaitModal(ctx context.Context) (Modal, error) {
	e := u.e
	var got Modal
	err := e.waitUntil(ctx, "a modal for user "+u.Name, func() *signal { return &u.inbox.sig }, func() bool {
		if u.modalsTaken < len(u.modals) {
			got = *u.modals[u.modalsTaken]
			u.modalsTaken++
			return true
		}
		return false
	})
	return got, err
}
