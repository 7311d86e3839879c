// Beside the conversation: the customer summary with its CRM record (link, unlink, create a contact), and the
// productivity pane (knowledge, notes, cases, transcript search); and the viewer that shows another conversation
// read-only or an archived transcript. Every change goes through the hub's commands (docs/agent-protocol.md), so
// the CRM routes an integration team wired apply; a refusal shows as a notice with the hub's reason.

import { el } from "./dom.js";
import { contactLine, transcriptSearchFields } from "./records.js";

/**
 * What this module needs from the workspace.
 * @typedef {{ui: object, t: Function, command: Function, render: Function, customerChanged: Function,
 *   transcriptEntry: Function, customerName: Function, authorised: Function}} Context
 */

/** The pane's own state for one conversation (or "home"): search results and what the agent is working on. */
export function paneOf(ui, id) {
  return ui.pane[id] || (ui.pane[id] = { articles: [], notes: null, caseId: null, case: null, cases: null,
    contacts: null, transcripts: null });
}

// --- customer summary and records ---------------------------------------------------------------------------------

export function customerSummary(ctx, conversation, sentiment, closed) {
  const { t } = ctx;
  const customer = conversation.customer || {};
  const rows = [
    ["customer.contact", customer.contactId],
    ["customer.tier", customer.tier],
    ["customer.email", customer.email],
    ["customer.phone", customer.phone],
    ["customer.locale", customer.locale],
  ].filter(([, value]) => value);
  return [
    el("h2", {}, t("customer.title")),
    conversation.customerDataIncomplete ? el("p", { class: "warning" }, t("customer.incomplete")) : null,
    el("dl", {}, rows.map(([key, value]) => [el("dt", {}, t(key)), el("dd", {}, value)]),
      customer.vip ? [el("dt", {}, t("offer.vip")), el("dd", {}, "✓")] : null),
    records(ctx, conversation, closed),
    customer.openCases && customer.openCases.length ? [el("h3", {}, t("customer.openCases")),
      el("ul", { class: "open-cases" }, customer.openCases.map((c) => el("li", {}, c.title || c.caseId, " ",
        el("button", { type: "button", class: "link", disabled: closed, "aria-label": t("case.linkNamed", c.caseId),
          onclick: () => linkCase(ctx, conversation.id, c.caseId) }, t("case.link")))))] : null,
    otherConversations(ctx, conversation.id),
    el("h3", {}, t("sentiment.title")),
    el("p", { class: "sentiment", "data-level": sentiment ? sentiment.level : "" },
      sentiment ? [t("sentiment." + sentiment.level), " (", t("sentiment." + sentiment.trend), ")"] : "—"),
  ];
}

/** Records, as Dynamics 365 agents know them: the CRM contact the customer is, found, linked, unlinked or created. */
function records(ctx, conversation, closed) {
  const { t, ui } = ctx;
  const id = conversation.id;
  const customer = conversation.customer || {};
  if (customer.contactId) {
    return el("div", { class: "records" },
      el("button", { type: "button", disabled: closed, "data-key": `unlink-contact:${id}`,
        onclick: () => unlinkContact(ctx, id) }, t("records.unlink")));
  }
  const pane = paneOf(ui, id);
  return el("div", { class: "records" },
    el("p", { class: "no-contact" }, t("records.none")),
    el("form", { class: "contact-search", role: "search", onsubmit: (event) => searchInto(ctx, event, id, "contact.search", "contacts") },
      el("label", { for: "contact-query" }, t("records.find")),
      el("input", { id: "contact-query", type: "search", disabled: closed }),
      el("button", { type: "submit", disabled: closed }, t("pane.search"))),
    pane.contacts ? (pane.contacts.length
      ? el("ul", { class: "contacts" }, pane.contacts.map((contact) => el("li", { "data-contact": contact.contactId },
        contactLine(contact), " ",
        el("button", { type: "button", disabled: closed, "aria-label": t("records.linkNamed", contactLine(contact)),
          onclick: () => linkContact(ctx, id, contact.contactId) }, t("records.link")))))
      : el("p", { class: "contacts" }, t("records.noMatch"))) : null,
    customer.source === "facebook-profile"
      ? el("button", { type: "button", class: "create-contact", disabled: closed,
        onclick: () => createContact(ctx, id) }, t("records.create")) : null);
}

/** A search form's words sent as `type`; the answer's `key` is what the pane lists until the next search. */
async function searchInto(ctx, event, conversationId, type, key, fields = {}) {
  event.preventDefault();
  const result = await ctx.command(type, { ...fields, query: event.target.querySelector("input").value });
  if (result) {
    paneOf(ctx.ui, conversationId)[key] = result[key];
    ctx.render();
  }
}

async function linkContact(ctx, conversationId, contactId) {
  const result = await ctx.command("contact.link", { conversationId, contactId });
  if (result) {
    paneOf(ctx.ui, conversationId).contacts = null;
    ctx.customerChanged(conversationId, result.customer);
  }
}

async function unlinkContact(ctx, conversationId) {
  const result = await ctx.command("contact.unlink", { conversationId });
  if (result) {
    const pane = paneOf(ctx.ui, conversationId);
    pane.caseId = null;
    pane.case = null;
    ctx.customerChanged(conversationId, result.customer);
  }
}

async function createContact(ctx, conversationId) {
  const result = await ctx.command("contact.create", { conversationId });
  if (result) {
    ctx.customerChanged(conversationId, result.customer);
  }
}

function otherConversations(ctx, conversationId) {
  const { t, ui } = ctx;
  const view = ui.views[conversationId];
  if (!view || !view.otherConversations || !view.otherConversations.length) {
    return null;
  }
  return [el("h3", {}, t("customer.others")),
    el("ul", { class: "other-conversations" }, view.otherConversations.map((other) => el("li", {},
      t("state." + other.state), " · ", t("offer.queue", other.queue), " · ",
      new Date(other.openedAt).toLocaleDateString(ui.language),
      other.caseId ? [" · ", t("pane.case", other.caseId)] : null, " ",
      el("button", { type: "button", class: "link", "aria-label": t("viewer.openConversation", t("state." + other.state),
        new Date(other.openedAt).toLocaleDateString(ui.language)), onclick: () => viewConversation(ctx, other.id) },
      t("viewer.open")))))];
}

// --- productivity pane --------------------------------------------------------------------------------------------

/** Knowledge, notes, cases and transcripts for the conversation shown: the productivity pane. */
export function productivity(ctx, conversationId, closed) {
  const { t } = ctx;
  const pane = paneOf(ctx.ui, conversationId);
  return el("section", { class: "productivity", "aria-label": t("pane.title") },
    el("h2", {}, t("pane.title")),
    el("form", { class: "knowledge", role: "search", onsubmit: (event) => searchInto(ctx, event, conversationId, "knowledge.search", "articles", { limit: 5 }) },
      el("label", { for: "knowledge-query" }, t("pane.knowledge")),
      el("input", { id: "knowledge-query", type: "search" }),
      el("button", { type: "submit" }, t("pane.search"))),
    el("ul", { class: "articles" }, pane.articles.map((article) => el("li", {},
      el("strong", {}, article.title), " ",
      el("button", { type: "button", disabled: closed, "data-article": article.id,
        "aria-label": t("pane.shareNamed", article.title),
        onclick: () => ctx.sendComposed("knowledge.share", conversationId, { articleId: article.id }) }, t("pane.share"))))),
    el("form", { class: "note", onsubmit: (event) => addNote(ctx, event, conversationId) },
      el("label", { for: "note-text" }, t("pane.note")),
      el("textarea", { id: "note-text", rows: "2" }),
      el("button", { type: "submit" }, t("pane.addNote"))),
    pane.notes ? el("ul", { class: "notes" }, pane.notes.map((note) => el("li", {}, note.text,
      el("span", { class: "meta" }, " — ", note.agentId)))) : null,
    cases(ctx, conversationId, closed),
    transcriptSearch(ctx, conversationId));
}

async function addNote(ctx, event, conversationId) {
  event.preventDefault();
  const result = await ctx.command("note.add", { conversationId, text: event.target.querySelector("textarea").value });
  if (result) {
    paneOf(ctx.ui, conversationId).notes = result.notes;
    document.getElementById("note-text").value = "";
    ctx.render();
  }
}

/** The linked case (resolve, unlink), a new case, and the customer's cases to link. */
function cases(ctx, conversationId, closed) {
  const { t } = ctx;
  const pane = paneOf(ctx.ui, conversationId);
  const linked = pane.case || (pane.caseId ? { caseId: pane.caseId } : null);
  return el("section", { class: "cases", "aria-label": t("case.title") },
    el("h3", {}, t("case.title")),
    linked ? el("div", { class: "linked-case", "data-case": linked.caseId },
      el("p", { class: "case-id" }, t("pane.case", linked.caseId), linked.title ? [": ", linked.title] : null,
        linked.status ? [" (", t("case.status", linked.status), ")"] : null),
      linked.resolution ? el("p", { class: "resolution" }, linked.resolution) : null,
      el("form", { class: "case-resolve", onsubmit: (event) => resolveCase(ctx, event, conversationId) },
        el("label", { for: "case-resolution" }, t("case.resolution")),
        el("textarea", { id: "case-resolution", rows: "2", disabled: linked.status === "resolved" }),
        el("button", { type: "submit", disabled: linked.status === "resolved" }, t("case.resolve"))),
      el("button", { type: "button", class: "case-unlink", onclick: () => unlinkCase(ctx, conversationId) },
        t("case.unlink"))) : null,
    el("form", { class: "case", onsubmit: (event) => createCase(ctx, event, conversationId) },
      el("label", { for: "case-title" }, t("pane.caseTitle")),
      el("input", { id: "case-title" }),
      el("button", { type: "submit" }, t("pane.createCase"))),
    el("form", { class: "case-search", role: "search", onsubmit: (event) => searchInto(ctx, event, conversationId, "case.search", "cases", { conversationId }) },
      el("label", { for: "case-query" }, t("case.find")),
      el("input", { id: "case-query", type: "search" }),
      el("button", { type: "submit" }, t("pane.search"))),
    pane.cases ? (pane.cases.length ? el("ul", { class: "found-cases" }, pane.cases.map((found) =>
      el("li", { "data-case": found.caseId }, found.caseId, ": ", found.title, " (", t("case.status", found.status), ") ",
        el("button", { type: "button", disabled: closed || (linked && linked.caseId === found.caseId),
          "aria-label": t("case.linkNamed", found.caseId), onclick: () => linkCase(ctx, conversationId, found.caseId) },
        t("case.link")))))
      : el("p", { class: "found-cases" }, t("case.noMatch"))) : null);
}

function caseLinked(ctx, conversationId, result) {
  const pane = paneOf(ctx.ui, conversationId);
  pane.caseId = result.caseId;
  pane.case = result.case && result.case.caseId ? result.case : null;
  ctx.render();
}

async function createCase(ctx, event, conversationId) {
  event.preventDefault();
  const result = await ctx.command("case.create", { conversationId, title: event.target.querySelector("input").value });
  if (result) {
    document.getElementById("case-title").value = "";
    caseLinked(ctx, conversationId, result);
  }
}

async function linkCase(ctx, conversationId, caseId) {
  const result = await ctx.command("case.link", { conversationId, caseId });
  if (result) {
    caseLinked(ctx, conversationId, result);
  }
}

async function resolveCase(ctx, event, conversationId) {
  event.preventDefault();
  const result = await ctx.command("case.resolve", { conversationId,
    resolution: event.target.querySelector("textarea").value });
  if (result) {
    document.getElementById("case-resolution").value = "";
    caseLinked(ctx, conversationId, result);
  }
}

async function unlinkCase(ctx, conversationId) {
  if (await ctx.command("case.unlink", { conversationId })) {
    caseLinked(ctx, conversationId, { caseId: null, case: null });
  }
}

// --- transcript search and the viewer -----------------------------------------------------------------------------

/** Archived transcripts, with the filters of /search; in a conversation "this customer only" narrows to its PSID. */
export function transcriptSearch(ctx, scope) {
  const { t, ui } = ctx;
  const pane = paneOf(ui, scope);
  const session = ui.state.sessions[scope];
  const filter = (name, label, type = "text") => el("label", {}, t(label), " ",
    el("input", { id: `transcript-${name}`, name, type }));
  return el("section", { class: "transcript-search", "aria-label": t("transcripts.title") },
    el("h3", {}, t("transcripts.title")),
    el("form", { role: "search", onsubmit: (event) => searchTranscripts(ctx, event, scope) },
      el("label", { for: "transcript-query" }, t("transcripts.words")),
      el("input", { id: "transcript-query", name: "query", type: "search" }),
      session ? el("label", {}, el("input", { id: "transcript-customer", type: "checkbox", name: "customer",
        "data-psid": session.conversation.customerPsid }), " ", t("transcripts.thisCustomer")) : null,
      el("details", { id: "transcript-filters" }, el("summary", {}, t("transcripts.filters")),
        el("div", { class: "filters" },
          filter("agent", "transcripts.agent"), filter("queue", "transcripts.queue"), filter("page", "transcripts.page"),
          filter("contactId", "customer.contact"), filter("from", "transcripts.from", "date"),
          filter("to", "transcripts.to", "date"))),
      el("button", { type: "submit" }, t("pane.search"))),
    pane.transcripts ? (pane.transcripts.length ? el("ul", { class: "transcripts" }, pane.transcripts.map((hit) =>
      el("li", { "data-conversation": hit.conversationId },
        el("strong", {}, hit.customerName || hit.customerPsid), " · ",
        hit.closedAt ? new Date(hit.closedAt).toLocaleString(ui.language) : "", " · ", hit.agentId || "—",
        hit.snippet ? el("p", { class: "snippet" }, hit.snippet) : null,
        el("button", { type: "button", class: "link", "aria-label": t("transcripts.openNamed", hit.customerName || hit.customerPsid),
          onclick: () => viewArchived(ctx, hit) }, t("viewer.open")))))
      : el("p", { class: "transcripts" }, t("transcripts.none"))) : null);
}

async function searchTranscripts(ctx, event, scope) {
  event.preventDefault();
  const form = event.target;
  const values = {};
  for (const input of form.querySelectorAll("input[name]")) {
    if (input.type === "checkbox") {
      values.psid = input.checked ? input.dataset.psid : "";
    } else {
      values[input.name] = input.value;
    }
  }
  const result = await ctx.command("transcript.search", { ...transcriptSearchFields(values), limit: 20 });
  if (result) {
    paneOf(ctx.ui, scope).transcripts = result.transcripts;
    ctx.render();
  }
}

/** Another conversation of the customer, as the hub shows it read-only (conversation.open). */
async function viewConversation(ctx, conversationId) {
  const view = await ctx.command("conversation.open", { conversationId });
  if (view) {
    showViewer(ctx, { title: ctx.t("viewer.conversationTitle", ctx.customerName(view.conversation.customer,
      view.conversation.customerPsid), ctx.t("state." + view.conversation.state)),
    transcript: view.transcript, notes: view.notes, attachments: view.attachments, readOnly: view.readOnly });
  }
}

/** The archived document of a closed conversation, fetched with the agent's own login. */
async function viewArchived(ctx, hit) {
  const response = await ctx.authorised(hit.transcript || `/api/transcripts/${encodeURIComponent(hit.conversationId)}`);
  if (!response) {
    return;
  }
  const archived = await response.json();
  showViewer(ctx, { title: ctx.t("viewer.archivedTitle", hit.customerName || hit.customerPsid,
    hit.closedAt ? new Date(hit.closedAt).toLocaleString(ctx.ui.language) : ""),
  transcript: archived.transcript, notes: archived.notes, attachments: archived.attachments, readOnly: true });
}

function showViewer(ctx, content) {
  ctx.ui.viewer = content;
  const dialog = document.getElementById("viewer");
  drawViewer(ctx);
  if (!dialog.open) {
    dialog.showModal();
  }
}

/** The viewer's content; closing it (its button or Escape) gives the focus back to where it was. */
export function drawViewer(ctx) {
  const { t, ui } = ctx;
  const dialog = document.getElementById("viewer");
  const content = ui.viewer;
  if (!content) {
    dialog.replaceChildren();
    return;
  }
  const transcript = [...(content.transcript || [])].sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
  dialog.replaceChildren(...[
    el("header", {}, el("h2", { id: "viewer-title" }, content.title),
      el("button", { type: "button", class: "close-viewer", onclick: () => dialog.close() }, t("viewer.close"))),
    content.readOnly ? el("p", { class: "read-only" }, t("viewer.readOnly")) : null,
    el("ol", { class: "transcript" }, transcript.map((entry) => ctx.transcriptEntry(entry, content.attachments))),
    content.notes && content.notes.length ? [el("h3", {}, t("viewer.notes")),
      el("ul", { class: "notes" }, content.notes.map((note) => el("li", {}, note.text,
        el("span", { class: "meta" }, " — ", note.agentId))))] : null].flat().filter(Boolean));
}
