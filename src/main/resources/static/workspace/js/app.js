// The agent workspace: logs in to the broker over STOMP/WebSocket as the agent, reads its inbox, sends commands,
// and draws the state (state.js) after every change. Everything the customer or the CRM wrote is put on the page as
// text (textContent), never as markup.

import { Client } from "/webjars/stomp__stompjs/7.2.1/esm6/index.js";
import { Commands, newRequestId } from "./commands.js";
import { brokerUrlFor, brokerUrlsOf } from "./connection.js";
import { el } from "./dom.js";
import { languageOf, text } from "./i18n.js";
import { SHORTCUTS, keysOf, nextTab, shortcutOf } from "./keys.js";
import { customerSummary, drawViewer, paneOf, productivity, transcriptSearch } from "./pane.js";
import { consentChanged, recordedBadge } from "./privacy.js";
import { alertOutsideThePage, basicAuthorization, previewable } from "./records.js";
import * as model from "./state.js";
import { formatCountdown, formatDuration, messagingWindow, secondsLeft } from "./time.js";

const HEARTBEAT_MS = 15000;
const PRESENCES = ["AVAILABLE", "BUSY", "DO_NOT_DISTURB", "AWAY", "OFFLINE"];

const ui = {
  language: localStorage.getItem("workspace.language") || languageOf(navigator.languages),
  state: model.initialState(),
  agentId: null,
  client: null,
  commands: null,
  config: null,
  expanded: false,
  heartbeat: null,
  pane: {},
  quickReplies: [],
  filePolicy: null,
  pickable: [],
  views: {},
  typingSent: {},
  authorization: null,
  previews: {},
  viewer: null,
  sound: localStorage.getItem("workspace.sound") !== "off",
  audio: null,
};

const $ = (selector) => document.querySelector(selector);
const t = (key, ...args) => text(ui.language, key, ...args);

/** What the customer pane and the productivity pane (pane.js) use of the workspace. */
const ctx = {
  ui, t, command, render, authorised, sendComposed,
  transcriptEntry: (entry, attachments) => transcriptEntry(entry, attachments),
  customerName: (customer, psid) => customerName(customer, psid),
  customerChanged: (conversationId, customer) => update((s) => model.receive(s, { type: "conversation.customer-updated",
    conversationId, customer, customerDataIncomplete: false })),
};

function update(change) {
  ui.state = change(ui.state);
  render();
}

// --- connection -------------------------------------------------------------------------------------------------

async function login(event) {
  event.preventDefault();
  const agentId = $("#login-agent").value.trim();
  const password = $("#login-password").value;
  $("#login-error").textContent = "";
  ui.config = ui.config || await (await fetch("settings.json")).json();
  ui.agentId = agentId;
  ui.authorization = basicAuthorization(agentId, password);
  // Made while the agent clicks, so that the browser lets it play the offer sound later.
  ui.audio = ui.audio || (window.AudioContext ? new window.AudioContext() : null);
  setConnection("connecting");
  const urls = brokerUrlsOf(ui.config);
  let attempt = 0;
  const client = new Client({
    brokerURL: brokerUrlFor(urls, 0),
    connectHeaders: { login: agentId, passcode: password },
    reconnectDelay: 3000,
    heartbeatIncoming: 10000,
    heartbeatOutgoing: 10000,
  });
  // Each attempt after a lost connection tries the next URL: the backup broker once the live one is gone.
  client.beforeConnect = () => {
    client.brokerURL = brokerUrlFor(urls, attempt++);
  };
  let connectedOnce = false;
  client.onConnect = () => {
    connectedOnce = true;
    setConnection("connected");
    client.subscribe(ui.config.inboxPrefix + agentId, (frame) => {
      onInbox(JSON.parse(frame.body));
      frame.ack();
    }, { ack: "client-individual" });
    refresh();
  };
  client.onStompError = (frame) => {
    if (!connectedOnce) {
      client.deactivate();
      setConnection(null);
      $("#login-error").textContent = t("login.failed", frame.headers.message || frame.body || "refused");
    }
  };
  client.onWebSocketClose = () => {
    if (connectedOnce) {
      setConnection("lost");
    }
  };
  ui.client = client;
  ui.commands = new Commands((body) => client.publish({ destination: ui.config.commands, body,
    headers: { "content-type": "application/json" }, skipContentLengthHeader: true }));
  client.activate();
  clearInterval(ui.heartbeat);
  ui.heartbeat = setInterval(() => client.connected && ui.commands.heartbeat(), HEARTBEAT_MS);
}

/** After a (re)connect: what the hub says is true now. */
async function refresh() {
  const replies = await command("quickreply.list");
  ui.quickReplies = replies ? replies.quickReplies : [];
  ui.filePolicy = await command("files.policy");
  loadPickable();
  const presence = await command("presence.get");
  if (presence) {
    update((s) => model.presence(s, presence));
  }
  const held = await command("conversation.list");
  for (const conversation of held ? held.conversations : []) {
    if (!ui.state.sessions[conversation.id]) {
      const view = await command("conversation.open", { conversationId: conversation.id });
      if (view) {
        update((s) => model.consulted(model.receive(s, { type: "conversation.assigned", conversation: view.conversation,
          transcript: view.transcript, attachments: view.attachments }), conversation.id, view.consult));
      }
    }
  }
  update((s) => model.activate(s, s.active));
}

function logout() {
  clearInterval(ui.heartbeat);
  if (ui.client) {
    ui.client.deactivate();
  }
  ui.client = null;
  ui.authorization = null;
  ui.state = model.initialState();
  ui.pane = {};
  ui.views = {};
  Object.values(ui.previews).filter(Boolean).forEach((url) => URL.revokeObjectURL(url));
  ui.previews = {};
  setConnection(null);
  render();
}

function setConnection(status) {
  document.body.dataset.connection = status || "none";
  $("#connection").textContent = status ? t("connection." + status) : "";
  $("#login").hidden = status === "connected" || status === "lost";
  $("#workspace").hidden = !$("#login").hidden;
}

function onInbox(message) {
  if (message.type === "command.result") {
    ui.commands.settle(message);
    if (message.ok && (message.command === "presence.set" || message.command === "presence.get")) {
      update((s) => model.presence(s, message));
    }
    return;
  }
  if (message.type === "conversation.consent") {
    if (consentChanged(ui.views, message)) {
      render();
    }
    return;
  }
  const wasActive = ui.state.active;
  update((s) => model.receive(s, message));
  if (message.type === "conversation.offered") {
    alertAgent(message);
  }
  if (message.type === "conversation.assigned") {
    openView(message.conversation.id);
    if (wasActive !== ui.state.active) {
      focusComposer();
    }
  }
  if (CHANGES_CAPACITY.has(message.type)) {
    refreshPresence();
  }
}

/** What conversation.open adds to an assigned conversation: the customer's other conversations, notes, case. */
async function openView(conversationId) {
  const view = await command("conversation.open", { conversationId });
  if (!view) {
    return;
  }
  ui.views[conversationId] = view;
  const pane = paneOf(ui, conversationId);
  pane.notes = view.notes && view.notes.length ? view.notes : pane.notes;
  const session = ui.state.sessions[conversationId];
  if (session && !session.sentiment && view.sentiment && view.sentiment.level) {
    // The mood before the agent took the conversation; conversation.sentiment keeps it current from here on.
    update((s) => model.receive(s, { type: "conversation.sentiment", conversationId, ...view.sentiment }));
  }
  pane.caseId = view.caseId || pane.caseId;
  update((s) => model.consulted(s, conversationId, view.consult));
}

/** Inbox messages after which the agent's used capacity is another. */
const CHANGES_CAPACITY = new Set(["conversation.offered", "offer.withdrawn", "conversation.assigned",
  "conversation.state-changed", "conversation.erased", "conversation.reassigned"]);

async function refreshPresence() {
  const presence = await command("presence.get");
  if (presence) {
    update((s) => model.presence(s, presence));
  }
}

/** Sends a command; shows the refusal and gives null when the hub refused it. */
async function command(type, fields = {}) {
  try {
    return await ui.commands.request(type, fields).answer;
  } catch (refused) {
    update((s) => ({ ...s, notices: [...s.notices, { kind: "refused", detail: refused.message }] }));
    return null;
  }
}

// --- offers -----------------------------------------------------------------------------------------------------

/** While the tab is hidden, an offer also shows as a browser notification and plays a short tone. */
function alertAgent(offer) {
  const permission = "Notification" in window ? window.Notification.permission : "denied";
  const outside = alertOutsideThePage(document.hidden, permission, ui.sound);
  if (outside.notify) {
    const notification = new window.Notification(t("offer.title"), {
      body: `${customerName(offer.customer, offer.customerPsid)}: ${offer.firstMessage ? offer.firstMessage.text || "" : ""}`,
      tag: offer.offerId });
    notification.onclick = () => window.focus();
  }
  if (outside.sound && ui.audio) {
    const tone = ui.audio.createOscillator();
    const volume = ui.audio.createGain();
    tone.frequency.value = 880;
    volume.gain.value = 0.15;
    tone.connect(volume).connect(ui.audio.destination);
    tone.start();
    tone.stop(ui.audio.currentTime + 0.3);
  }
}

function offerToast(offer) {
  const customer = offer.customer || {};
  const left = secondsLeft(offer.expiresAt, Date.now());
  return el("section", { class: "offer", role: "alertdialog", "aria-labelledby": `offer-${offer.offerId}`,
    "data-offer": offer.offerId },
  el("h2", { id: `offer-${offer.offerId}` }, t("offer.title"), ": ", customerName(customer, offer.customerPsid)),
  el("p", { class: "offer-meta" },
    t("offer.queue", offer.queue),
    customer.tier ? [" · ", t("offer.tier", customer.tier)] : null,
    customer.vip ? [" · ", el("strong", {}, t("offer.vip"))] : null,
    customer.openCases && customer.openCases.length ? [" · ", t("offer.openCases", customer.openCases.length)] : null,
    offer.sentiment && offer.sentiment.level
      ? [" · ", el("span", { class: `mood mood-${offer.sentiment.level}` }, t("offer.mood", t("sentiment." + offer.sentiment.level)))]
      : null,
    offer.pageName ? [" · ", offer.pageName] : null),
  offer.firstMessage ? el("blockquote", {}, offer.firstMessage.text || offer.firstMessage.kind) : null,
  el("p", { class: "countdown", role: "timer", "aria-live": "off", "data-expires": offer.expiresAt },
    t("offer.countdown", formatCountdown(left))),
  el("div", { class: "actions" },
    el("button", { type: "button", class: "primary", "data-key": `accept:${offer.offerId}`, "aria-keyshortcuts": keysOf("accept"),
      onclick: () => answerOffer(offer, "offer.accept") }, t("offer.accept")),
    el("button", { type: "button", "data-key": `reject:${offer.offerId}`, "aria-keyshortcuts": keysOf("reject"),
      onclick: () => answerOffer(offer, "offer.reject") }, t("offer.reject"))));
}

async function answerOffer(offer, type) {
  if (await command(type, { offerId: offer.offerId }) !== null || type === "offer.reject") {
    update((s) => ({ ...s, offers: Object.fromEntries(Object.entries(s.offers).filter(([id]) => id !== offer.offerId)) }));
  }
}

/** Every second: the countdowns run, expired offers go, and the window indicator follows the clock. */
function tick() {
  const now = Date.now();
  if (ui.state.active === model.HOME && ui.client && ui.client.connected && Math.floor(now / 1000) % 5 === 0) {
    loadPickable();
  }
  const expired = Object.values(ui.state.offers).filter((offer) => secondsLeft(offer.expiresAt, now) === 0);
  if (expired.length) {
    update((s) => ({ ...s, offers: Object.fromEntries(Object.entries(s.offers)
      .filter(([, offer]) => secondsLeft(offer.expiresAt, now) > 0)) }));
  }
  for (const node of document.querySelectorAll(".countdown[data-expires]")) {
    node.textContent = t("offer.countdown", formatCountdown(secondsLeft(node.dataset.expires, now)));
  }
  for (const node of document.querySelectorAll(".window[data-last]")) {
    node.textContent = windowText(node.dataset.last, node.dataset.humanAgent === "true", now);
  }
}

// --- tabs and sessions --------------------------------------------------------------------------------------------

function customerName(customer, psid) {
  const name = [customer && customer.firstName, customer && customer.lastName].filter(Boolean).join(" ");
  return name || (psid ? `${t("customer.unknown")} (${psid})` : t("customer.unknown"));
}

function tabs() {
  const list = el("div", { role: "tablist", "aria-label": t("title") },
    tab(model.HOME, t("home"), 0, null),
    ui.state.order.map((id) => {
      const session = ui.state.sessions[id];
      return tab(id, customerName(session.conversation.customer, session.conversation.customerPsid), session.unread,
        session.sentiment);
    }));
  list.addEventListener("keydown", (event) => {
    const ids = [model.HOME, ...ui.state.order];
    const next = event.altKey ? null : event.key === "ArrowRight" ? nextTab(ids, ui.state.active, 1)
      : event.key === "ArrowLeft" ? nextTab(ids, ui.state.active, -1) : null;
    if (next) {
      update((s) => model.activate(s, next));
      document.querySelector(`[role=tab][data-tab="${CSS.escape(next)}"]`).focus();
    }
  });
  return list;
}

function tab(id, label, unread, sentiment) {
  const selected = ui.state.active === id;
  return el("button", { type: "button", role: "tab", id: `tab-${id}`, "data-tab": id, "data-key": `tab:${id}`, "aria-selected": String(selected),
    "aria-controls": "panel", tabindex: selected ? "0" : "-1", onclick: () => update((s) => model.activate(s, id)) },
  label,
  sentiment ? el("span", { class: `mood mood-${sentiment.level}`, title: t("sentiment." + sentiment.level) },
    t("sentiment." + sentiment.level)) : null,
  unread ? el("span", { class: "unread", "aria-label": t("tab.unread", unread) }, String(unread)) : null);
}

function home() {
  const items = ui.state.order.map((id) => ui.state.sessions[id]);
  return el("div", { class: "home", "data-conversation": model.HOME },
    el("h2", {}, t("home.workItems")),
    items.length ? el("ul", { class: "work-items" }, items.map((session) => el("li", {},
      el("button", { type: "button", class: "link", onclick: () => update((s) => model.activate(s, session.conversation.id)) },
        customerName(session.conversation.customer, session.conversation.customerPsid)),
      " ", el("span", { class: "state" }, t("state." + session.conversation.state))))) : el("p", {}, t("home.none")),
    ui.pickable.length ? [
      el("h2", {}, t("home.pick")),
      el("ul", { class: "pickable" }, ui.pickable.map((conversation) => el("li", { "data-conversation": conversation.id },
        customerName(conversation.customer, conversation.customerPsid), " · ", t("offer.queue", conversation.queue), " ",
        el("button", { type: "button", onclick: () => pick(conversation.id) }, t("home.pickAction")))))] : null,
    transcriptSearch(ctx, model.HOME));
}

/** The Open conversations of the agent's pick queues, longest waiting first (queue.list). */
async function loadPickable() {
  const result = await command("queue.list");
  ui.pickable = result ? result.conversations : [];
  render();
}

async function pick(conversationId) {
  if (await command("conversation.pick", { conversationId })) {
    ui.pickable = ui.pickable.filter((conversation) => conversation.id !== conversationId);
    refreshPresence();
  }
  loadPickable();
}

/** Whether the conversation's Page may reply for 7 days (conversation.open says it; 24 h until it has). */
function humanAgentTag(conversationId) {
  return Boolean(ui.views[conversationId] && ui.views[conversationId].humanAgentTag);
}

function windowText(lastCustomerMessageAt, humanAgentTag, now) {
  const window = messagingWindow(lastCustomerMessageAt, now, humanAgentTag);
  return window.window === "closed" ? t("window.closed") : t("window." + window.window, formatDuration(window.msLeft));
}

/**
 * One line of a transcript. The customer's stored pictures are previewed, every stored file is downloaded with the
 * agent's own login (attachments: the conversation's files, which say what the hub stored).
 */
function transcriptEntry(entry, attachments) {
  const mark = entry.direction === "OUT" && entry.status
    ? el("span", { class: `mark status-${entry.status}` }, t("message." + entry.status, entry.reason || "")) : null;
  const files = (Array.isArray(entry.attachments) ? entry.attachments : []).map((file) => file.attachmentId
    ? fileOf(file, attachments) : el("span", { class: "file" }, file.title || file.type));
  return el("li", { class: `entry ${entry.direction === "IN" ? "in" : "out"} kind-${entry.kind}`,
    "data-sequence": entry.sequence ?? "", "data-request": entry.requestId ?? "" },
  el("p", { class: "text" }, entry.text || ""),
  files.length ? el("div", { class: "files" }, files) : null,
  el("p", { class: "meta" }, entry.sentAt ? new Date(entry.sentAt).toLocaleTimeString(ui.language) : "", " ", mark));
}

function fileOf(file, attachments) {
  const known = (attachments || []).find((a) => a.attachmentId === file.attachmentId) || {};
  const name = known.name || file.title || file.type;
  const download = el("button", { type: "button", class: "link download", "aria-label": t("file.download", name),
    onclick: () => download(file.attachmentId, name) }, name);
  if (!previewable(file, attachments)) {
    return download;
  }
  loadPreview(file.attachmentId);
  const url = ui.previews[file.attachmentId];
  return el("figure", { class: "preview" },
    url ? el("img", { src: url, alt: t("file.picture", name) }) : el("span", { class: "loading" }, t("file.loading")),
    el("figcaption", {}, download));
}

/** Fetches a hub path with the agent's own login (HTTP Basic, as docs/agent-protocol.md says); null when refused. */
async function authorised(path) {
  try {
    const response = await fetch(path, { headers: { Authorization: ui.authorization }, credentials: "omit" });
    if (response.ok) {
      return response;
    }
    const problem = await response.json().catch(() => ({}));
    throw new Error(`${response.status} ${problem.error || problem.message || response.statusText}`);
  } catch (failed) {
    update((s) => ({ ...s, notices: [...s.notices, { kind: "refused", detail: failed.message }] }));
    return null;
  }
}

function loadPreview(attachmentId) {
  if (attachmentId in ui.previews) {
    return;
  }
  ui.previews[attachmentId] = null;
  authorised(`/api/attachments/${encodeURIComponent(attachmentId)}`).then(async (response) => {
    if (response) {
      ui.previews[attachmentId] = URL.createObjectURL(await response.blob());
      render();
    }
  });
}

async function download(attachmentId, name) {
  const response = await authorised(`/api/attachments/${encodeURIComponent(attachmentId)}`);
  if (response) {
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
}

function sessionView(session) {
  const conversation = session.conversation;
  const id = conversation.id;
  const closed = conversation.state === "CLOSED";
  const composer = el("form", { class: "composer", onsubmit: (event) => reply(event, id) },
    el("label", { for: "composer-text", class: "visually-hidden" }, t("composer.placeholder")),
    el("textarea", { id: "composer-text", rows: "2", placeholder: t("composer.placeholder"), disabled: closed,
      oninput: () => typing(id),
      onkeydown: (event) => { if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); event.target.form.requestSubmit(); } } }),
    el("button", { type: "submit", class: "primary", disabled: closed }, t("composer.send")));
  return el("div", { class: `session ${ui.expanded ? "expanded" : "compact"}`, "data-conversation": id },
    el("section", { class: "communication", "aria-label": customerName(conversation.customer, conversation.customerPsid),
      ondragover: (event) => { if (!closed && ui.filePolicy && ui.filePolicy.agentsMaySend) { event.preventDefault(); } },
      ondrop: (event) => { event.preventDefault(); for (const file of event.dataTransfer.files) { sendFile(id, file); } } },
      el("header", {},
        el("h2", {}, customerName(conversation.customer, conversation.customerPsid)),
        el("span", { class: "state", "data-state": conversation.state }, t("state." + conversation.state)),
        recordedBadge(ui.views[id], t),
        el("button", { type: "button", onclick: () => { ui.expanded = !ui.expanded; render(); } },
          t(ui.expanded ? "action.compact" : "action.expand"))),
      el("ol", { class: "transcript", "aria-live": "polite" }, session.transcript.map((entry) => transcriptEntry(entry, session.attachments))),
      consultThread(session, closed),
      el("p", { class: "window", "data-last": conversation.lastCustomerMessageAt || "",
        "data-human-agent": String(humanAgentTag(id)) },
        windowText(conversation.lastCustomerMessageAt, humanAgentTag(id), Date.now())),
      composer,
      fileSender(id, closed),
      ui.quickReplies.length ? el("form", { class: "quick-replies", onsubmit: (event) => quickReply(event, id) },
        el("label", { for: "quick-reply" }, t("composer.quickReplies")),
        el("select", { id: "quick-reply", disabled: closed },
          ui.quickReplies.map((reply) => el("option", { value: reply.id, title: reply.text }, reply.title))),
        el("button", { type: "submit", disabled: closed }, t("composer.sendQuickReply"))) : null,
      el("form", { class: "call", onsubmit: (event) => offerCall(event, id) },
        el("label", { for: "call-number" }, t("call.number")),
        el("input", { id: "call-number", type: "tel", placeholder: "+49 30 1234567", disabled: closed }),
        el("button", { type: "submit", disabled: closed }, t("call.button")),
        el("button", { type: "button", disabled: closed, onclick: () => sendComposed("call.callback", id, {}) },
          t("call.callback"))),
      el("div", { class: "actions" },
        action(id, "conversation.end", "action.end", closed),
        action(id, "conversation.wait", "action.wait", closed),
        action(id, "conversation.release", "action.release", closed),
        action(id, "conversation.close", "action.close", closed)),
      el("form", { class: "transfer", onsubmit: (event) => transfer(event, id) },
        el("label", { for: "transfer-queue" }, t("action.transferTo")),
        el("input", { id: "transfer-queue", disabled: closed, required: true }),
        el("button", { type: "submit", disabled: closed }, t("action.transfer")))),
    el("aside", { class: "customer", "aria-label": t("customer.title") },
      customerSummary(ctx, conversation, session.sentiment, closed), productivity(ctx, id, closed)));
}

/** A supervisor's consult in this conversation, and the agent's answers: never sent to the customer. */
function consultThread(session, closed) {
  const consult = session.consult || [];
  if (!consult.length) {
    return null;
  }
  const id = session.conversation.id;
  return el("section", { class: "consult", "aria-label": t("consult.title") },
    el("h3", {}, t("consult.title")),
    el("p", { class: "read-only" }, t("consult.hint")),
    el("ol", { class: "consult-thread", "aria-live": "polite" }, consult.map((message) => el("li",
      { class: `consult-${message.role}`, "data-consult": message.id },
      el("p", { class: "who" }, t(message.role === "SUPERVISOR" ? "consult.supervisor" : "consult.agent", message.author), " ",
        new Date(message.sentAt).toLocaleTimeString(ui.language)),
      el("p", { class: "text" }, message.text)))),
    el("form", { class: "consult-answer", onsubmit: (event) => answerConsult(event, id) },
      el("label", { for: "consult-answer" }, t("consult.label")),
      el("input", { id: "consult-answer", disabled: closed, required: true }),
      el("button", { type: "submit", disabled: closed }, t("consult.send"))));
}

async function answerConsult(event, conversationId) {
  event.preventDefault();
  const input = event.target.querySelector("input");
  const text = input.value.trim();
  if (!text) {
    return;
  }
  const result = await command("consult.send", { conversationId, text });
  if (result) {
    input.value = "";
    update((s) => model.consulted(s, conversationId, result.consult));
  }
}

function action(conversationId, type, label, disabled) {
  const shortcut = keysOf(type.replace("conversation.", ""));
  return el("button", { type: "button", disabled, "data-action": type, "aria-keyshortcuts": shortcut, onclick: () => command(type, { conversationId })
    .then((result) => result && refreshState(conversationId, type).then(refreshPresence)) }, t(label));
}

/** What a move did to the conversation: released or transferred it is no longer the agent's; else as the hub says. */
async function refreshState(conversationId, type) {
  if (type === "conversation.release" || type === "conversation.transfer") {
    update((s) => model.release(s, conversationId));
    loadPickable();
    return;
  }
  const view = await command("conversation.open", { conversationId });
  if (view) {
    update((s) => model.opened(s, view.conversation));
  }
}

/** The file picker, with what the policy allows said before the agent picks; dropping a file works the same. */
function fileSender(conversationId, closed) {
  const policy = ui.filePolicy;
  if (!policy || !policy.agentsMaySend) {
    return null;
  }
  return el("div", { class: "files-composer" },
    el("label", { for: "file-input" }, t("composer.file")),
    el("input", { id: "file-input", type: "file", disabled: closed,
      onchange: (event) => { for (const file of event.target.files) { sendFile(conversationId, file); } event.target.value = ""; } }),
    el("p", { class: "file-limit" }, t("composer.fileLimit", formatBytes(policy.maxSizeBytes),
      policy.blockedExtensions.map((ext) => "." + ext).join(", ") || "—")));
}

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Refuses at once what the policy refuses anyway (size, extension); the hub checks the content itself. */
function fileRefusal(file) {
  const policy = ui.filePolicy;
  const extension = file.name.includes(".") ? file.name.split(".").pop().toLowerCase() : "";
  if (file.size > policy.maxSizeBytes) {
    return t("composer.fileTooBig", file.name, formatBytes(policy.maxSizeBytes));
  }
  if (policy.blockedExtensions.includes(extension)) {
    return t("composer.fileBlocked", file.name, "." + extension);
  }
  return null;
}

async function sendFile(conversationId, file) {
  const refusal = fileRefusal(file);
  if (refusal) {
    update((s) => ({ ...s, notices: [...s.notices, { kind: "refused", detail: refusal }] }));
    return;
  }
  const requestId = newRequestId();
  const content = new Uint8Array(await file.arrayBuffer());
  update((s) => model.sending(s, conversationId, requestId, "📎 " + file.name, Date.now()));
  ui.client.publish({ destination: ui.config.files, binaryBody: content,
    headers: { conversationId, fileName: file.name, requestId, "content-type": "application/octet-stream", persistent: "true" } });
}

/** A call button with the agent's number (empty: the hub's hub.calls.phone-number). */
async function offerCall(event, conversationId) {
  event.preventDefault();
  const number = event.target.querySelector("input").value.trim();
  await sendComposed("call.button", conversationId, number ? { phoneNumber: number } : {});
}

async function quickReply(event, conversationId) {
  event.preventDefault();
  await sendComposed("quickreply.send", conversationId, { templateId: event.target.querySelector("select").value });
}

/**
 * A message the hub composes (a quick reply, a shared article): its text is known from the command's result, and
 * it shows from then on like a reply, until message.sent or message.failed.
 */
async function sendComposed(type, conversationId, fields) {
  const { requestId, answer } = ui.commands.request(type, { conversationId, ...fields });
  try {
    const result = await answer;
    update((s) => model.sending(s, conversationId, requestId, result.text, Date.now()));
  } catch (refused) {
    update((s) => ({ ...s, notices: [...s.notices, { kind: "refused", detail: refused.message }] }));
  }
}

async function transfer(event, conversationId) {
  event.preventDefault();
  const queue = event.target.querySelector("input").value.trim();
  if (await command("conversation.transfer", { conversationId, queue })) {
    await refreshState(conversationId, "conversation.transfer");
    refreshPresence();
  }
}

async function reply(event, conversationId) {
  event.preventDefault();
  const box = event.target.querySelector("textarea");
  const body = box.value.trim();
  if (!body) {
    return;
  }
  box.value = "";
  const { requestId, answer } = ui.commands.request("message.send", { conversationId, text: body });
  update((s) => model.sending(s, conversationId, requestId, body, Date.now()));
  try {
    await answer;
  } catch (refused) {
    update((s) => model.receive(s, { type: "message.failed", conversationId, requestId, reason: refused.message }));
  }
}

/** The customer sees "typing…" while the agent writes: at most one typing_on every 5 s (Facebook shows it ~20 s). */
function typing(conversationId) {
  const now = Date.now();
  if ((ui.typingSent[conversationId] || 0) + 5000 < now) {
    ui.typingSent[conversationId] = now;
    ui.commands.request("typing", { conversationId, on: true }).answer.catch(() => {});
  }
}

function focusComposer() {
  const box = document.querySelector("#composer-text");
  if (box) {
    box.focus();
  }
}

// --- drawing ------------------------------------------------------------------------------------------------------

function render() {
  // Redrawing replaces the toasts and tabs: a keyboard user's focus stays on the same control.
  const focusedKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : undefined;
  draw();
  if (focusedKey) {
    const again = document.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
    if (again) {
      again.focus();
    }
  }
}

function draw() {
  document.documentElement.lang = ui.language;
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  $("#shortcut-list").replaceChildren(...shortcutHelp().flat());
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
  const presence = ui.state.presence;
  $("#presence").value = presence ? presence.chosen : "OFFLINE";
  $("#capacity").textContent = presence ? t("capacity", presence.used, presence.capacity) : "";
  $("#offers").replaceChildren(...Object.values(ui.state.offers).map(offerToast));
  $("#tabs").replaceChildren(tabs());
  const session = ui.state.sessions[ui.state.active];
  // Redrawing must not eat what the agent is typing: the panel's fields keep their text and the focus.
  const panel = $("#panel");
  const shown = panel.firstElementChild ? panel.firstElementChild.dataset.conversation : undefined;
  const drafts = new Map([...panel.querySelectorAll("input[id]:not([type=file]), textarea[id]")]
    .map((field) => [field.id, field.type === "checkbox" ? field.checked : field.value]));
  const unfolded = [...panel.querySelectorAll("details[open]")].map((details) => details.id);
  const focused = panel.contains(document.activeElement) ? document.activeElement.id : null;
  panel.replaceChildren(session ? sessionView(session) : home());
  panel.setAttribute("aria-labelledby", `tab-${ui.state.active}`);
  if (shown === (session ? session.conversation.id : model.HOME)) {
    for (const [id, value] of drafts) {
      const field = document.getElementById(id);
      if (field && field.type === "checkbox") {
        field.checked = value;
      } else if (field) {
        field.value = value;
      }
    }
    for (const id of unfolded) {
      const details = document.getElementById(id);
      if (details) {
        details.open = true;
      }
    }
    if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
  }
  $("#notices").replaceChildren(...ui.state.notices.map((notice, index) => el("p", { class: "notice", role: "status" },
    t("notice." + notice.kind, notice.detail || ""), " ",
    el("button", { type: "button", onclick: () => update((s) => model.dismiss(s, index)) }, t("dismiss")))));
}

/** Alt+letter shortcuts (keys.js): the same as clicking the control, so what is disabled stays disabled. */
function onShortcut(event) {
  const name = shortcutOf(event);
  if (!name || !ui.client) {
    return;
  }
  event.preventDefault();
  const first = document.querySelector("#offers .offer");
  const focus = (selector) => { const field = document.querySelector(selector); if (field) { field.focus(); } };
  switch (name) {
    case "accept":
    case "reject":
      if (first) {
        first.querySelectorAll(".actions button")[name === "accept" ? 0 : 1].click();
      }
      break;
    case "next-session":
    case "previous-session": {
      const next = nextTab([model.HOME, ...ui.state.order], ui.state.active, name === "next-session" ? 1 : -1);
      update((s) => model.activate(s, next));
      focus(`[role=tab][data-tab="${CSS.escape(next)}"]`);
      break;
    }
    case "reply":
      focus("#composer-text");
      break;
    case "quick-reply":
      focus("#quick-reply");
      break;
    case "knowledge":
      focus("#knowledge-query");
      break;
    default: {
      const button = document.querySelector(`[data-action="conversation.${name}"]`);
      if (button && !button.disabled) {
        button.click();
      }
    }
  }
}

function shortcutHelp() {
  return SHORTCUTS.map((shortcut) => [el("dt", {}, el("kbd", {}, shortcut.keys)), el("dd", {}, t("keys." + shortcut.name))]);
}

function setUp() {
  const presence = $("#presence");
  presence.replaceChildren(...PRESENCES.map((p) => el("option", { value: p }, t("presence." + p))));
  presence.addEventListener("change", async () => {
    const result = await command("presence.set", { presence: presence.value });
    if (result) {
      update((s) => model.presence(s, result));
    }
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission();
    }
  });
  const language = $("#language");
  language.value = ui.language;
  language.addEventListener("change", () => {
    ui.language = language.value;
    localStorage.setItem("workspace.language", ui.language);
    for (const option of presence.options) {
      option.textContent = t("presence." + option.value);
    }
    render();
  });
  const sound = $("#sound");
  sound.checked = ui.sound;
  sound.addEventListener("change", () => {
    ui.sound = sound.checked;
    localStorage.setItem("workspace.sound", ui.sound ? "on" : "off");
  });
  $("#viewer").addEventListener("close", () => {
    ui.viewer = null;
    drawViewer(ctx);
  });
  document.addEventListener("keydown", onShortcut);
  $("#login-form").addEventListener("submit", login);
  $("#logout").addEventListener("click", logout);
  setConnection(null);
  render();
  setInterval(tick, 1000);
}

setUp();
