// The "Recorded" badge in a conversation's header: the hub keeps every conversation's transcript, and on a Page that
// asks, the customer answers the recording disclosure (conversation.open's recorded and consent, kept current by
// conversation.consent; docs/agent-protocol.md).

import { el } from "./dom.js";

/** The badge for a conversation's view (conversation.open's result), or nothing before the view is there. */
export function recordedBadge(view, t) {
  if (!view || !view.recorded) {
    return null;
  }
  const state = (view.consent && view.consent.state) || "not-asked";
  return el("span", { class: "recorded", "data-consent": state, title: t("privacy.consent." + state) },
    t("privacy.recorded"), state === "not-asked" ? null : " · " + t("privacy.consentShort." + state));
}

/** A conversation.consent message: the view it belongs to takes the new answer; whether there was one. */
export function consentChanged(views, message) {
  const view = views[message.conversationId];
  if (!view) {
    return false;
  }
  view.recorded = message.recorded;
  view.consent = message.consent;
  return true;
}
