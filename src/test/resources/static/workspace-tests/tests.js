import { Commands, newRequestId } from "/workspace/js/commands.js";
import { brokerUrlFor, brokerUrlsOf } from "/workspace/js/connection.js";
import { MESSAGES, languageOf, text } from "/workspace/js/i18n.js";
import { alertOutsideThePage, basicAuthorization, contactLine, previewable, transcriptSearchFields } from "/workspace/js/records.js";
import { SHORTCUTS, nextTab, shortcutOf } from "/workspace/js/keys.js";
import * as model from "/workspace/js/state.js";
import { formatCountdown, formatDuration, messagingWindow, secondsLeft } from "/workspace/js/time.js";
import { customerOf, ordered, riskTitle, secondsSince } from "/supervisor/js/floor.js";

const results = [];
let failures = 0;

function test(name, body) {
  try {
    body();
    results.push(`ok   ${name}`);
  } catch (e) {
    failures++;
    results.push(`FAIL ${name}: ${e.message}`);
  }
}

function equal(actual, expected, what = "") {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new Error(`${what} expected ${e} but was ${a}`);
  }
}

const T0 = Date.parse("2026-11-29T10:00:00Z");
const HOUR = 3600 * 1000;

test("the countdown runs down to zero and no further", () => {
  equal(secondsLeft("2026-11-29T10:02:00Z", T0), 120);
  equal(secondsLeft("2026-11-29T10:02:00Z", T0 + 500), 120, "a started second still counts");
  equal(secondsLeft("2026-11-29T10:02:00Z", T0 + 119500), 1);
  equal(secondsLeft("2026-11-29T10:02:00Z", T0 + 121000), 0);
  equal(secondsLeft("not a time", T0), 0);
  equal(formatCountdown(119), "1:59");
  equal(formatCountdown(9), "0:09");
  equal(formatCountdown(-3), "0:00");
});

test("the messaging window: 24 h, then 7 days with the human agent tag, then closed", () => {
  const last = "2026-11-29T10:00:00Z";
  equal(messagingWindow(last, T0 + HOUR, false), { window: "standard", msLeft: 23 * HOUR });
  equal(messagingWindow(last, T0 + 25 * HOUR, false), { window: "closed", msLeft: 0 });
  equal(messagingWindow(last, T0 + 25 * HOUR, true), { window: "human-agent", msLeft: (7 * 24 - 25) * HOUR });
  equal(messagingWindow(last, T0 + 7 * 24 * HOUR, true), { window: "closed", msLeft: 0 });
  equal(messagingWindow(null, T0, true).window, "closed");
  equal(formatDuration(23 * HOUR + 59 * 60000 + 59000), "23 h 59 min");
  equal(formatDuration(42 * 60000), "42 min");
  equal(formatDuration(6 * 24 * HOUR + 3 * HOUR), "6 d 3 h");
});

const offer = { type: "conversation.offered", offerId: "o1", conversationId: "c1", customerPsid: "p1", queue: "sales",
  expiresAt: "2026-11-29T10:02:00Z", customer: { firstName: "Ada" } };
const conversation = { id: "c1", state: "ACTIVE", customerPsid: "p1", customer: { firstName: "Ada" } };
const assigned = { type: "conversation.assigned", conversation,
  transcript: [{ sequence: 2, direction: "IN", text: "second" }, { sequence: 1, direction: "IN", text: "first" }], attachments: [] };

test("an offer shows until it is withdrawn or its conversation is assigned", () => {
  let s = model.receive(model.initialState(), offer);
  equal(Object.keys(s.offers), ["o1"]);
  equal(Object.keys(model.receive(s, { type: "offer.withdrawn", offerId: "o1" }).offers), []);
  s = model.receive(s, assigned);
  equal(Object.keys(s.offers), [], "offers of the assigned conversation");
  equal(s.order, ["c1"]);
  equal(s.active, "c1", "the new session is shown");
  equal(s.sessions.c1.transcript.map((e) => e.text), ["first", "second"], "transcript in sequence order");
});

test("customer messages count as unread on a hidden tab, once each, and wake a Waiting conversation", () => {
  let s = model.activate(model.receive(model.initialState(), assigned), model.HOME);
  const received = { type: "message.received", conversationId: "c1", message: { sequence: 3, direction: "IN", text: "hi" } };
  s = model.receive(s, received);
  s = model.receive(s, received);
  equal(s.sessions.c1.unread, 1);
  equal(s.sessions.c1.transcript.length, 3, "a message delivered twice shows once");
  s = model.activate(s, "c1");
  equal(s.sessions.c1.unread, 0);
  s = model.receive(s, { type: "message.received", conversationId: "c1", message: { sequence: 4, direction: "IN", text: "again" } });
  equal(s.sessions.c1.unread, 0, "the shown tab has nothing unread");
  let waiting = model.receive(model.initialState(), { ...assigned, conversation: { ...conversation, state: "WAITING" } });
  waiting = model.receive(waiting, { ...received, message: { sequence: 9, direction: "IN", text: "back" } });
  equal(waiting.sessions.c1.conversation.state, "ACTIVE");
});

test("a reply goes from pending to sent, delivered and read, never back", () => {
  let s = model.receive(model.initialState(), assigned);
  s = model.sending(s, "c1", "r1", "hello", T0);
  equal(s.sessions.c1.transcript.at(-1).status, "PENDING");
  s = model.receive(s, { type: "message.sent", conversationId: "c1", requestId: "r1", mid: "m.1" });
  equal(s.sessions.c1.transcript.at(-1).status, "SENT");
  equal(s.sessions.c1.transcript.at(-1).mid, "m.1");
  s = model.receive(s, { type: "message.status", conversationId: "c1", status: "READ", watermark: "2026-11-29T10:00:01Z" });
  equal(s.sessions.c1.transcript.at(-1).status, "READ");
  s = model.receive(s, { type: "message.status", conversationId: "c1", status: "DELIVERED", watermark: "2026-11-29T10:00:01Z" });
  equal(s.sessions.c1.transcript.at(-1).status, "READ", "a late delivery receipt");
  s = model.receive(s, { type: "message.status", conversationId: "c1", status: "DELIVERED", watermark: "2026-11-29T09:00:00Z" });
  equal(s.sessions.c1.transcript.at(-1).status, "READ");
});

test("a refused reply says why", () => {
  let s = model.sending(model.receive(model.initialState(), assigned), "c1", "r2", "late", T0);
  s = model.receive(s, { type: "message.failed", conversationId: "c1", requestId: "r2", reason: "outside the window" });
  equal(s.sessions.c1.transcript.at(-1).status, "FAILED");
  equal(s.sessions.c1.transcript.at(-1).reason, "outside the window");
  const unknown = model.receive(s, { type: "message.failed", conversationId: "c1", requestId: "zz", reason: "x" });
  equal(unknown.notices.at(-1).kind, "failed", "a failure of a message this page did not send becomes a notice");
});

test("closed by someone else, released while away, or erased", () => {
  const s = model.receive(model.initialState(), assigned);
  const closed = model.receive(s, { type: "conversation.state-changed", conversationId: "c1", state: "CLOSED", by: "api" });
  equal(closed.sessions.c1.conversation.state, "CLOSED");
  equal(closed.notices.at(-1), { kind: "closed", conversationId: "c1", detail: "api" });
  const released = model.receive(s, { type: "conversation.state-changed", conversationId: "c1", state: "OPEN", by: "disconnected" });
  equal(released.sessions.c1, undefined);
  equal(released.active, model.HOME);
  const erased = model.receive(s, { type: "conversation.erased", conversationId: "c1", reason: "on request" });
  equal(erased.order, []);
  equal(erased.notices.at(-1).kind, "erased");
});

test("sentiment shows its level and trend; customer updates replace the customer", () => {
  let s = model.receive(model.initialState(), assigned);
  s = model.receive(s, { type: "conversation.sentiment", conversationId: "c1", level: "NEGATIVE", score: -0.4 });
  equal(s.sessions.c1.sentiment, { level: "NEGATIVE", score: -0.4, trend: "steady" });
  s = model.receive(s, { type: "conversation.sentiment", conversationId: "c1", level: "VERY_NEGATIVE", score: -0.8 });
  equal(s.sessions.c1.sentiment.trend, "falling");
  s = model.receive(s, { type: "conversation.customer-updated", conversationId: "c1", customer: { firstName: "Ada", tier: "gold" },
    customerDataIncomplete: false });
  equal(s.sessions.c1.conversation.customer.tier, "gold");
  s = model.receive(s, { type: "attachment.stored", conversationId: "c1", attachmentId: "a1", name: "x.pdf",
    contentType: "application/pdf", size: 3 });
  equal(s.sessions.c1.attachments[0].status, "STORED");
});

test("a released or transferred conversation leaves the tabs; a move shows the state the hub gives", () => {
  const s = model.receive(model.initialState(), assigned);
  const released = model.release(s, "c1");
  equal(released.order, []);
  equal(released.active, model.HOME);
  equal(model.opened(s, { ...conversation, state: "WRAP_UP" }).sessions.c1.conversation.state, "WRAP_UP");
  equal(model.opened(s, { ...conversation, id: "zz" }), s);
});

test("messages of unknown types and of other conversations change nothing", () => {
  const s = model.receive(model.initialState(), assigned);
  equal(model.receive(s, { type: "something.new" }), s);
  equal(model.receive(s, { type: "message.received", conversationId: "zz", message: { sequence: 1 } }), s);
});

test("German and English have the same words", () => {
  equal(Object.keys(MESSAGES.de).sort(), Object.keys(MESSAGES.en).sort());
  equal(languageOf(["de-DE", "en"]), "de");
  equal(languageOf(["fr-FR", "en-GB"]), "en");
  equal(languageOf([]), "en");
  equal(text("de", "capacity", 1, 3), "Kapazität belegt: 1 von 3");
  equal(text("en", "no.such.key"), "no.such.key");
});

test("a command's result settles it, ok or refused", () => {
  const sent = [];
  const commands = new Commands((body) => sent.push(JSON.parse(body)), 1000);
  const { requestId, answer } = commands.request("presence.set", { presence: "AVAILABLE" });
  equal(sent[0].type, "presence.set");
  equal(sent[0].requestId, requestId);
  equal(commands.settle({ requestId: "other", ok: true }), false);
  equal(commands.settle({ requestId, ok: true, presence: "AVAILABLE" }), true);
  equal(commands.pending.size, 0, "nothing left waiting");
  answer.catch(() => {});
  const refused = commands.request("offer.accept", { offerId: "o1" });
  refused.answer.catch(() => {});
  equal(commands.settle({ requestId: refused.requestId, ok: false, reason: "expired" }), true);
});

test("request ids are UUIDs, also where crypto.randomUUID is missing (http:// pages other than localhost)", () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const native = crypto.randomUUID;
  try {
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    const fallback = newRequestId();
    if (!uuid.test(fallback)) {
      throw new Error(`not a UUID: ${fallback}`);
    }
  } finally {
    Object.defineProperty(crypto, "randomUUID", { value: native, configurable: true });
  }
  if (!uuid.test(newRequestId())) {
    throw new Error("native UUID");
  }
});

test("a transcript search sends only the filters the agent filled in, trimmed", () => {
  equal(transcriptSearchFields({ query: "  parcel ", psid: "", agent: " anna", queue: "", from: "2026-11-28", to: "" }),
    { query: "parcel", agent: "anna", from: "2026-11-28" });
  equal(transcriptSearchFields({ query: "", psid: "" }), {});
});

test("contacts are told apart by name, email and phone; a contact without them by its id", () => {
  equal(contactLine({ contactId: "C-1003", firstName: "Lena", lastName: "Fischer", email: "lena@example.com",
    phone: "+49 89 7654321" }), "Lena Fischer · lena@example.com · +49 89 7654321 (C-1003)");
  equal(contactLine({ contactId: "C-9", firstName: null, lastName: null, email: null, phone: "+1 555" }), "+1 555 (C-9)");
});

test("only pictures the hub stored are previewed", () => {
  const attachments = [
    { attachmentId: "a1", status: "STORED", contentType: "image/png" },
    { attachmentId: "a2", status: "PENDING", contentType: null },
    { attachmentId: "a3", status: "STORED", contentType: "application/pdf" },
    { attachmentId: "a4", status: "STORED", contentType: "image/svg+xml" },
  ];
  equal(previewable({ attachmentId: "a1", type: "image" }, attachments), true);
  equal(previewable({ attachmentId: "a2", type: "image" }, attachments), false, "still being fetched");
  equal(previewable({ attachmentId: "a3", type: "file" }, attachments), false, "a PDF is downloaded");
  equal(previewable({ attachmentId: "a4", type: "image" }, attachments), false, "SVG can carry script");
  equal(previewable({ attachmentId: "a5", type: "image" }, attachments), false, "unknown to the hub");
});

test("the agent's login goes to the hub as HTTP Basic in UTF-8", () => {
  equal(basicAuthorization("anna", "pw-anna"), "Basic " + btoa("anna:pw-anna"));
  equal(basicAuthorization("jörg", "geheim€"), "Basic asO2cmc6Z2VoZWlt4oKs");
});

test("an offer reaches the agent outside the page only while the tab is hidden", () => {
  equal(alertOutsideThePage(true, "granted", true), { notify: true, sound: true });
  equal(alertOutsideThePage(true, "denied", true), { notify: false, sound: true });
  equal(alertOutsideThePage(true, "granted", false), { notify: true, sound: false });
  equal(alertOutsideThePage(false, "granted", true), { notify: false, sound: false });
});

test("shortcuts are Alt with a key, never a key needed for typing", () => {
  equal(shortcutOf({ altKey: true, code: "KeyA" }), "accept");
  equal(shortcutOf({ altKey: true, code: "ArrowDown" }), "next-session");
  equal(shortcutOf({ altKey: false, code: "KeyA" }), null, "plain letters are typing");
  equal(shortcutOf({ altKey: true, ctrlKey: true, code: "KeyA" }), null, "AltGr (Ctrl+Alt) writes characters");
  equal(shortcutOf({ altKey: true, code: "KeyZ" }), null);
  equal(new Set(SHORTCUTS.map((s) => s.code)).size, SHORTCUTS.length, "one meaning per key");
});

test("switching sessions goes round", () => {
  equal(nextTab(["home", "c1", "c2"], "c2", 1), "home");
  equal(nextTab(["home", "c1", "c2"], "home", -1), "c2");
  equal(nextTab(["home", "c1", "c2"], "gone", 1), "c1", "from a tab that closed, start at home");
});

test("reconnecting goes round the live broker and its backup", () => {
  const urls = ["ws://live:61614", "ws://backup:61624"];
  equal([0, 1, 2, 3].map((attempt) => brokerUrlFor(urls, attempt)),
    ["ws://live:61614", "ws://backup:61624", "ws://live:61614", "ws://backup:61624"]);
  equal(brokerUrlFor(["ws://only:61614"], 5), "ws://only:61614");
  equal(brokerUrlFor([], 0), null);
  equal(brokerUrlsOf({ brokerUrl: "ws://a:1", brokerUrls: ["ws://a:1", "ws://b:2"] }), ["ws://a:1", "ws://b:2"]);
  equal(brokerUrlsOf({ brokerUrl: "ws://a:1" }), ["ws://a:1"], "an older hub's settings");
});

test("a supervisor's consult joins the conversation's thread once, unread while another tab shows", () => {
  let state = model.receive(model.initialState(), assigned);
  state = model.activate(state, model.HOME);
  const consult = { id: 7, conversationId: "c1", author: "sam", role: "SUPERVISOR", agentId: "anna", text: "<b>voucher?</b>",
    sentAt: "2026-11-29T10:01:00Z" };
  state = model.receive(state, { type: "consult.message", conversationId: "c1", consult });
  state = model.receive(state, { type: "consult.message", conversationId: "c1", consult });
  equal(state.sessions.c1.consult.map((c) => c.text), ["<b>voucher?</b>"], "delivered twice, shown once");
  equal(state.sessions.c1.unread, 1);
  equal(model.receive(state, { type: "consult.message", conversationId: "gone", consult }), state, "not the agent's");
  const answered = model.consulted(state, "c1", [consult, { ...consult, id: 8, role: "AGENT", author: "anna", text: "done" }]);
  equal(answered.sessions.c1.consult.length, 2, "the thread as consult.send answered it");
});

test("a conversation a supervisor reassigned leaves the agent's tabs with a notice", () => {
  const state = model.receive(model.receive(model.initialState(), assigned),
    { type: "conversation.reassigned", conversationId: "c1", agentId: "ben", queue: null, by: "supervisor" });
  equal(state.order, []);
  equal(state.active, model.HOME);
  equal(state.notices, [{ kind: "reassigned", conversationId: "c1", detail: "ben" }]);
  equal(text("de", "notice.reassigned", "ben"), "Ein Supervisor hat die Unterhaltung übernommen (ben)");
});

test("the supervisor page counts waits on the hub's clock and lists alerts before long waits", () => {
  equal(secondsSince("2026-11-29T09:58:00Z", T0), 120);
  equal(secondsSince("2026-11-29T09:58:00Z", T0, -60000), 60, "the hub's clock a minute behind the browser's");
  equal(secondsSince("2026-11-29T10:05:00Z", T0), 0, "never negative");
  equal(customerOf({ customer: null, customerPsid: "p9" }), "Customer p9");
  equal(customerOf({ customer: "Ada Lovelace" }), "Ada Lovelace");
  equal(riskTitle({ kind: "sentiment" }), "Negative sentiment");
  const risks = [{ kind: "waiting", alertId: null, since: "2026-11-29T09:00:00Z" },
    { kind: "sentiment", alertId: 2, since: "2026-11-29T09:30:00Z" },
    { kind: "message-failed", alertId: 1, since: "2026-11-29T09:10:00Z" }];
  equal(ordered(risks).map((risk) => risk.kind), ["message-failed", "sentiment", "waiting"]);
});

document.querySelector("#results").textContent = results.join("\n");
document.body.dataset.failures = String(failures);
document.body.dataset.done = "true";
