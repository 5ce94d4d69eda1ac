package report

import (
	"fmt"
	"strings"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
)

// NotificationLink is the page of a notification's subject; a digest's is
// its own page, which lists its items.
func NotificationLink(n store.Notification) string {
	if n.Kind == store.NotifyDigest {
		return fmt.Sprintf("/notifications/%d", n.ID)
	}
	switch n.SubjectType {
	case store.SubjectLead:
		return fmt.Sprintf("/leads/%d", n.SubjectID)
	case store.SubjectProject:
		return fmt.Sprintf("/projects/%d", n.SubjectID)
	case store.SubjectCampaign:
		return fmt.Sprintf("/study/campaigns/%d/write", n.SubjectID)
	}
	return "/notifications"
}

// NotificationMessage renders a notification's message in p's language. A
// digest's names its counts by kind, leaving out the kinds it has none of.
func NotificationMessage(p *i18n.Printer, n store.Notification) string {
	if n.Kind == store.NotifyDigest && len(n.Args) >= 5 {
		var parts []string
		for _, c := range []struct{ n, text string }{
			{n.Args[1], p.T("notifications.digest.leads", n.Args[1])},
			{n.Args[2], p.T("notifications.digest.projects", n.Args[2])},
			{n.Args[3], p.T("notifications.digest.approvals", n.Args[3])},
		} {
			if c.n != "0" {
				parts = append(parts, c.text)
			}
		}
		return p.T("notifications.msg.digest", n.Args[0], strings.Join(parts, p.T("notifications.digest.sep")), n.Args[4])
	}
	args := make([]any, len(n.Args))
	for i, v := range n.Args {
		args[i] = v
	}
	return p.T(n.MessageKey, args...)
}

// NotificationItemLink is the page of an item a notification told of.
func NotificationItemLink(it store.ToldItem) string {
	if it.LinkType == store.SubjectLead {
		return fmt.Sprintf("/leads/%d", it.LinkID)
	}
	return fmt.Sprintf("/projects/%d", it.LinkID)
}
