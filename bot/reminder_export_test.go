package bot

import "context"

// CheckReminders makes the reminder job check now, as its tick does.
func CheckReminders(b *Bot) { b.reminders.check(context.Background()) }

// RemindersStarted is closed once the reminder job has made its first
// check.
func RemindersStarted(b *Bot) <-chan struct{} { return b.reminders.first }
