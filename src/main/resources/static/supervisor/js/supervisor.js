// The supervisor page: the floor from /supervisor/api/floor, redrawn when the events topic says something changed
// (the page follows it over STOMP/WebSocket with the supervisor's own broker login) and every few seconds for what no
// event announces (presence, offers, the clock); a conversation monitored read-only, consulted, assigned or
// transferred through the API. Everything customers, agents and the CRM wrote goes on the page as text (textContent).

import { Client } from "/webjars/stomp__stompjs/7.2.1/esm6/index.js";
import { brokerUrlFor, brokerUrlsOf } from "/workspace/js/connection.js";
import { el } from "/workspace/js/dom.js";
import { basicAuthorization } from "/workspace/js/records.js";
import { formatCountdown } from "/workspace/js/time.js";
import { customerOf, ordered, riskTitle, secondsSince } from "./floor.js";

const POLL_MS = 3000;

const ui = {
  authorization: null,
  client: null,
  floor: null,
  skewMs: 0,
  monitored: null,
  view: null,
  shown: null,
  poll: null,
  pending: null,
  notices: [],
};

const $ = (selector) => document.querySelector(selector);

// --- the hub ---------------------------------------------------------------------------------------------------------

/** Calls the supervisor API with the supervisor's login; the answer's JSON, or null after showing why it failed. */
async function api(path, body) {
  try {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? { Authorization: ui.authorization }
        : { Authorization: ui.authorization, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(`${response.status} ${answer.reason || answer.error || response.statusText}`);
    }
    return answer;
  } catch (failed) {
    notice(failed.message);
    return null;
  }
}

async function login(event) {
  event.preventDefault();
  const user = $("#login-user").value.trim();
  const password = $("#login-password").value;
  $("#login-error").textContent = "";
  ui.authorization = basicAuthorization(user, password);
  const response = await fetch("/supervisor/api/floor", { headers: { Authorization: ui.authorization }, credentials: "omit" });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    ui.authorization = null;
    $("#login-error").textContent = `Login failed: ${problem.reason || response.statusText}`;
    return;
  }
  showFloor(await response.json());
  setConnection("connecting");
  const settings = await (await fetch("settings.json")).json();
  follow(settings, user, password);
  clearInterval(ui.poll);
  ui.poll = setInterval(refresh, POLL_MS);
}

/** Follows the events topic: any event may change the floor, so it is read again (at most once per 300 ms). */
function follow(settings, user, password) {
  const urls = brokerUrlsOf(settings);
  let attempt = 0;
  const client = new Client({ brokerURL: brokerUrlFor(urls, 0), connectHeaders: { login: user, passcode: password },
    reconnectDelay: 3000, heartbeatIncoming: 10000, heartbeatOutgoing: 10000 });
  client.beforeConnect = () => {
    client.brokerURL = brokerUrlFor(urls, attempt++);
  };
  client.onConnect = () => {
    setConnection("connected");
    client.subscribe(settings.events, () => soon());
    refresh();
  };
  client.onWebSocketClose = () => setConnection("lost");
  client.onStompError = (frame) => notice(`Events: ${frame.headers.message || "refused"}`);
  ui.client = client;
  client.activate();
}

function soon() {
  if (!ui.pending) {
    ui.pending = setTimeout(() => {
      ui.pending = null;
      refresh();
    }, 300);
  }
}

async function refresh() {
  if (!ui.authorization) {
    return;
  }
  const floor = await api("/supervisor/api/floor");
  if (floor) {
    showFloor(floor);
  }
  if (ui.monitored) {
    const view = await api(`/supervisor/api/conversations/${encodeURIComponent(ui.monitored)}`);
    if (view && ui.monitored === view.conversation.id) {
      ui.view = view;
      // Redrawn only when something it shows changed, so what the supervisor is about to click stays put.
      const shown = JSON.stringify([view, (ui.floor ? ui.floor.agents : []).map((a) => [a.id, a.presence, a.used, a.capacity]),
        (ui.floor ? ui.floor.queues : []).map((q) => q.name)]);
      if (shown !== ui.shown) {
        ui.shown = shown;
        drawMonitor();
      }
    }
  }
}

function logout() {
  clearInterval(ui.poll);
  if (ui.client) {
    ui.client.deactivate();
  }
  Object.assign(ui, { authorization: null, client: null, floor: null, monitored: null, view: null, notices: [] });
  setConnection(null);
}

function setConnection(status) {
  document.body.dataset.connection = status || "none";
  const words = { connecting: "Connecting…", connected: "Live", lost: "Connection lost, reconnecting…" };
  $("#connection").textContent = status ? words[status] : "";
  $("#login").hidden = Boolean(status);
  $("#floor").hidden = !status;
}

function notice(text) {
  ui.notices = [...ui.notices, text];
  drawNotices();
}

// --- actions -----------------------------------------------------------------------------------------------------------

function monitor(conversationId) {
  ui.monitored = conversationId;
  ui.view = null;
  ui.shown = null;
  drawMonitor();
  refresh();
}

async function acknowledge(alertId) {
  if (await api(`/supervisor/api/alerts/${encodeURIComponent(alertId)}/acknowledge`, {})) {
    refresh();
  }
}

async function act(event, action, field) {
  event.preventDefault();
  const input = event.target.querySelector(`[name=${field}]`);
  const value = input.value.trim();
  if (!value) {
    return;
  }
  const id = encodeURIComponent(ui.monitored);
  if (await api(`/supervisor/api/conversations/${id}/${action}`, { [field]: value }) && action === "consult") {
    input.value = "";
  }
  refresh();
}

// --- drawing -----------------------------------------------------------------------------------------------------------

function showFloor(floor) {
  ui.skewMs = Date.parse(floor.at) - Date.now();
  const same = ui.floor && JSON.stringify({ ...ui.floor, at: null }) === JSON.stringify({ ...floor, at: null });
  ui.floor = floor;
  $("#updated").textContent = `Updated ${new Date(Date.parse(floor.at) - ui.skewMs).toLocaleTimeString()}`;
  // Redrawn only when something changed (the waits count on by themselves), so what the supervisor clicks stays put.
  if (!same) {
    drawFloor();
  }
}

function since(iso, over) {
  const seconds = secondsSince(iso, Date.now(), ui.skewMs);
  return el("span", { class: `since${over && seconds >= over ? " over" : ""}`, "data-since": iso, "data-over": over || "" },
    formatCountdown(seconds));
}

function monitorButton(conversationId, label) {
  return el("button", { type: "button", class: "link", "data-monitor": conversationId, "aria-label": `Monitor ${label}`,
    onclick: () => monitor(conversationId) }, label);
}

function drawFloor() {
  const floor = ui.floor;
  const threshold = floor.waitingThresholdSeconds;
  $("#at-risk").replaceChildren(...(floor.atRisk.length ? ordered(floor.atRisk).map((risk) => el("li",
    { class: `kind-${risk.kind}`, "data-risk": risk.kind, "data-conversation": risk.conversationId || "" },
    el("span", { class: "kind" }, riskTitle(risk)),
    risk.conversationId ? monitorButton(risk.conversationId, customerOf(risk)) : el("span", {}, `Page ${risk.pageId}`),
    risk.queue ? el("span", {}, `· ${risk.queue}`) : null,
    risk.agentId ? el("span", {}, `· ${risk.agentId}`) : null,
    el("span", { class: "detail" }, `· ${risk.detail || ""}`),
    since(risk.since),
    risk.alertId !== null && risk.alertId !== undefined
      ? el("button", { type: "button", "data-acknowledge": risk.alertId, onclick: () => acknowledge(risk.alertId) }, "Acknowledge")
      : null)) : [el("li", { class: "none" }, "Nothing at risk.")]));
  $("#queues tbody").replaceChildren(...floor.queues.map((queue) => el("tr", { "data-queue": queue.name },
    el("th", { scope: "row" }, queue.name, queue.mode === "PICK" ? " (pick)" : ""),
    el("td", { class: "number waiting" }, String(queue.waiting)),
    el("td", { class: "number" }, queue.longestWaitingSince ? since(queue.longestWaitingSince, threshold) : "—"),
    el("td", { class: "number offers" }, String(queue.offersPending)),
    el("td", { class: "number" }, String(queue.agentsReady)))));
  $("#waiting").replaceChildren(...(floor.waiting.length ? floor.waiting.map((line) => el("li", { "data-conversation": line.id },
    monitorButton(line.id, customerOf(line)), el("span", {}, `· ${line.queue}`), since(line.since, threshold)))
    : [el("li", { class: "none" }, "Nobody waits.")]));
  $("#agents tbody").replaceChildren(...floor.agents.map(agentRow));
}

function agentRow(agent) {
  const held = agent.conversations.map((line) => el("li", { "data-conversation": line.id },
    monitorButton(line.id, customerOf(line)), " ", el("span", { class: "state" }, stateName(line.state)), " ", since(line.since)));
  const offered = agent.offered.map((line) => el("li", { "data-offered": line.id },
    customerOf(line), " ", el("span", { class: "state" }, "Offered")));
  return el("tr", { "data-agent": agent.id },
    el("th", { scope: "row" }, agent.name || agent.id),
    el("td", { class: `presence presence-${agent.presence}` }, presenceName(agent.presence)),
    el("td", { class: "number capacity" }, `${agent.used} / ${agent.capacity}`),
    el("td", {}, el("ul", { class: "held" }, held, offered)));
}

function presenceName(presence) {
  return { AVAILABLE: "Available", BUSY: "Busy", DO_NOT_DISTURB: "Do not disturb", AWAY: "Away", OFFLINE: "Offline" }[presence]
    || presence;
}

function stateName(state) {
  return { OPEN: "Open", ACTIVE: "Active", WAITING: "Waiting", WRAP_UP: "Wrap-up", CLOSED: "Closed" }[state] || state;
}

function drawMonitor() {
  const panel = $("#monitor");
  panel.hidden = !ui.monitored;
  if (!ui.monitored) {
    panel.replaceChildren();
    return;
  }
  const view = ui.view;
  if (!view) {
    panel.replaceChildren(el("h2", { id: "monitor-title" }, "Loading…"));
    return;
  }
  // Redrawing must not eat what the supervisor is typing.
  const drafts = new Map([...panel.querySelectorAll("textarea[name], select[name]")].map((field) => [field.name, field.value]));
  const conversation = view.conversation;
  const customer = [conversation.customer && conversation.customer.firstName, conversation.customer && conversation.customer.lastName]
    .filter(Boolean).join(" ") || `Customer ${conversation.customerPsid}`;
  const held = ["ACTIVE", "WAITING", "WRAP_UP"].includes(conversation.state) && conversation.agentId;
  const movable = ["OPEN", "ACTIVE", "WAITING"].includes(conversation.state);
  const agents = ui.floor ? ui.floor.agents : [];
  const queues = ui.floor ? ui.floor.queues : [];
  panel.replaceChildren(
    el("header", { class: "monitor-head" },
      el("h2", { id: "monitor-title" }, `Monitoring ${customer}`),
      el("p", { class: "read-only" }, `Read-only · ${stateName(conversation.state)} · queue ${conversation.queue}`,
        conversation.agentId ? ` · agent ${conversation.agentId}` : "",
        view.sentiment && view.sentiment.level ? ` · mood ${view.sentiment.level}` : ""),
      el("button", { type: "button", onclick: () => { ui.monitored = null; drawMonitor(); } }, "Stop monitoring")),
    el("div", { class: "monitor-body" },
      el("ol", { class: "transcript", "aria-label": "Transcript", "aria-live": "polite" }, view.transcript.map((entry) => el("li",
        { class: `entry ${entry.direction === "IN" ? "in" : "out"} kind-${entry.kind}` },
        el("p", { class: "text" }, entry.text || (entry.attachments || []).map((file) => file.title || file.type).join(", ") || entry.kind),
        el("p", { class: "meta" }, new Date(entry.sentAt).toLocaleTimeString())))),
      el("div", { class: "monitor-actions" },
        el("h3", {}, "Consult with the agent"),
        el("p", { class: "read-only" }, "Only the agent sees this, never the customer."),
        el("ol", { class: "consult", "aria-label": "Consult" }, (view.consult || []).map((message) => el("li",
          { class: `consult-${message.role}` },
          el("p", { class: "who" }, `${message.author} (${message.role === "SUPERVISOR" ? "supervisor" : "agent"}) `,
            new Date(message.sentAt).toLocaleTimeString()),
          el("p", { class: "text" }, message.text)))),
        el("form", { class: "consult-form", onsubmit: (event) => act(event, "consult", "text") },
          el("label", { for: "consult-text", class: "visually-hidden" }, "Message to the agent"),
          el("textarea", { id: "consult-text", name: "text", rows: "2", disabled: !held,
            placeholder: held ? `Write to ${conversation.agentId}…` : "No agent holds it: nobody to consult" }),
          el("button", { type: "submit", class: "primary", disabled: !held }, "Send to agent")),
        el("form", { class: "assign-form", onsubmit: (event) => act(event, "assign", "agentId") },
          el("label", { for: "assign-agent" }, "Assign to"),
          el("select", { id: "assign-agent", name: "agentId", disabled: !movable },
            agents.filter((agent) => agent.id !== conversation.agentId).map((agent) => el("option", { value: agent.id },
              `${agent.name || agent.id} (${presenceName(agent.presence)}, ${agent.used}/${agent.capacity})`))),
          el("button", { type: "submit", disabled: !movable }, "Assign")),
        el("form", { class: "transfer-form", onsubmit: (event) => act(event, "transfer", "queue") },
          el("label", { for: "transfer-to" }, "Transfer to queue"),
          el("select", { id: "transfer-to", name: "queue", disabled: !movable },
            queues.map((queue) => el("option", { value: queue.name }, queue.name))),
          el("button", { type: "submit", disabled: !movable }, "Transfer")))));
  for (const [name, value] of drafts) {
    const field = panel.querySelector(`[name="${name}"]`);
    if (field && [...(field.options || [{ value }])].some((option) => option.value === value)) {
      field.value = value;
    }
  }
}

function drawNotices() {
  $("#notices").replaceChildren(...ui.notices.map((text, index) => el("p", { class: "notice", role: "status" }, text, " ",
    el("button", { type: "button", onclick: () => { ui.notices = ui.notices.filter((_, i) => i !== index); drawNotices(); } },
      "Dismiss"))));
}

/** Every second the waits count on. */
function tick() {
  for (const node of document.querySelectorAll(".since[data-since]")) {
    const seconds = secondsSince(node.dataset.since, Date.now(), ui.skewMs);
    node.textContent = formatCountdown(seconds);
    node.classList.toggle("over", Boolean(node.dataset.over) && seconds >= Number(node.dataset.over));
  }
}

$("#login-form").addEventListener("submit", login);
$("#logout").addEventListener("click", logout);
setConnection(null);
setInterval(tick, 1000);
