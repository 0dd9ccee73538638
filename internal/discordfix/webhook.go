package discordfix

import "github.com/bwmarrin/discordgo"

// EditResponse edits the original response to the interaction i, as
// discordgo's InteractionResponseEdit does, but in the rate-limit bucket
// of that one response. discordgo v0.28.1 puts every webhook edit of the
// process without files in one bucket, which it holds for the whole
// request, so one slow edit would hold up every other participant's;
// Discord gives each interaction's response a bucket of its own. (An
// edit with files already goes in its own bucket.)
func EditResponse(s *discordgo.Session, i *discordgo.Interaction, edit *discordgo.WebhookEdit) error {
	if len(edit.Files) > 0 {
		_, err := s.InteractionResponseEdit(i, edit)
		return err
	}
	uri := discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original")
	_, err := s.RequestWithBucketID("PATCH", uri, edit, uri)
	return err
}
