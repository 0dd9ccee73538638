package discordfix

import (
	"reflect"
	"sync/atomic"
	"unsafe"

	"github.com/bwmarrin/discordgo"
)

// sessionState is discordgo v0.28.1's record of the gateway session it
// resumes: Session.sessionID and Session.sequence, both unexported. Open
// sends a RESUME whenever either is set, and nothing in discordgo clears
// them, so after Discord refuses a session for good (close code 4007 or
// 4009, or op 9 where the Gateway will not identify) discordgo would
// RESUME it for ever. Clearing both makes its next Open IDENTIFY, as it
// does on its first.
//
// This is the one place the workarounds write discordgo's unexported
// state, and there is no exported way to do it. clear runs only from the
// dialer, inside Open, which holds the session lock and reads both only
// after the dial: the same lock and goroutine discordgo's own reads of
// them have. (discordgo writes sessionID from READY without a lock; no
// READY can come while Open is dialling.) The sequence is read and
// written atomically by discordgo, and so here.
type sessionState struct {
	id  *string // Session.sessionID
	seq *int64  // what Session.sequence points to
}

// sessionStateOf finds s's session id and sequence, or returns ok false
// if discordgo's Session no longer has them as v0.28.1 does.
func sessionStateOf(s *discordgo.Session) (st sessionState, ok bool) {
	v := reflect.ValueOf(s).Elem()
	id, seq := v.FieldByName("sessionID"), v.FieldByName("sequence")
	if !id.IsValid() || id.Kind() != reflect.String || !seq.IsValid() || seq.Type() != reflect.TypeFor[*int64]() {
		return sessionState{}, false
	}
	st.id = (*string)(unsafe.Pointer(id.UnsafeAddr()))
	st.seq = *(**int64)(unsafe.Pointer(seq.UnsafeAddr()))
	if st.seq == nil {
		return sessionState{}, false
	}
	return st, true
}

// clear makes discordgo's next Open identify rather than resume. Call it
// only with the session lock held, as inside Open.
func (st sessionState) clear() {
	*st.id = ""
	atomic.StoreInt64(st.seq, 0)
}
