// Pure helpers of the customer pane and the searches: what a form's fields become as a command, how a contact or a
// transcript hit is named, which files are previewed. No page, no hub: tested on their own (workspace-tests).

/** transcript.search's fields from a form's values: trimmed, the empty ones left out (the hub treats absent as any). */
export function transcriptSearchFields(values) {
  const fields = {};
  for (const [name, value] of Object.entries(values)) {
    const trimmed = typeof value === "string" ? value.trim() : value;
    if (trimmed !== "" && trimmed !== null && trimmed !== undefined && trimmed !== false) {
      fields[name] = trimmed;
    }
  }
  return fields;
}

/** "Lena Fischer · lena.fischer@example.com · +49 89 7654321 (C-1003)": what tells two contacts apart. */
export function contactLine(contact) {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");
  return [name, contact.email, contact.phone].filter(Boolean).join(" · ") + ` (${contact.contactId})`;
}

/** Whether a file of the transcript can be shown as a picture: an image the hub stored (checked by its content). */
export function previewable(file, attachments) {
  const known = (attachments || []).find((a) => a.attachmentId === file.attachmentId);
  return Boolean(known && known.status === "STORED" && /^image\/(png|jpeg|gif|webp)$/.test(known.contentType || ""));
}

/** The HTTP Basic value for the agent's own login (UTF-8, as the hub reads it). */
export function basicAuthorization(agentId, password) {
  const bytes = new TextEncoder().encode(`${agentId}:${password}`);
  return "Basic " + btoa(String.fromCharCode(...bytes));
}

/** Whether an offer should also reach the agent outside the page: only while the tab is hidden. */
export function alertOutsideThePage(hidden, notificationPermission, soundOn) {
  return { notify: Boolean(hidden) && notificationPermission === "granted", sound: Boolean(hidden) && Boolean(soundOn) };
}
