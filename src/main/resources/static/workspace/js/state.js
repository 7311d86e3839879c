// The workspace's state and how each inbox message (docs/asyncapi.yaml, receiveAgentInbox) changes it. Pure
// functions: the same state and message give the same new state, and the old one is never changed, so the screen
// can be redrawn from the state alone and the logic is tested without a browser screen.

const STATUS_RANK = { PENDING: 0, QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3 };

export const HOME = "home";

export function initialState() {
  return { offers: {}, sessions: {}, order: [], active: HOME, presence: null, notices: [] };
}

/** The state after one message from the agent's inbox; messages of unknown types change nothing. */
export function receive(state, message) {
  const handle = HANDLERS[message.type];
  return handle ? handle(state, message) : state;
}

/** Shows a tab and counts its messages as read. */
export function activate(state, tab) {
  if (tab !== HOME && !state.sessions[tab]) {
    return state;
  }
  const sessions = tab === HOME ? state.sessions : { ...state.sessions, [tab]: { ...state.sessions[tab], unread: 0 } };
  return { ...state, active: tab, sessions };
}

/** The agent sent something: it shows at once, marked as pending, until message.sent or message.failed. */
export function sending(state, conversationId, requestId, text, now) {
  const session = state.sessions[conversationId];
  if (!session) {
    return state;
  }
  const entry = { requestId, direction: "OUT", kind: "message", text, sentAt: new Date(now).toISOString(), status: "PENDING" };
  return withSession(state, conversationId, { ...session, transcript: [...session.transcript, entry] });
}

/** The result of presence.set or presence.get. */
export function presence(state, result) {
  const { presence: shown, chosen, capacity, used } = result;
  return { ...state, presence: { presence: shown, chosen, capacity, used } };
}

/** The agent released or transferred the conversation: its tab goes. */
export function release(state, conversationId) {
  return closeSession(state, conversationId);
}

/** The conversation as conversation.open returned it (its state after a move). */
export function opened(state, conversation) {
  const session = state.sessions[conversation.id];
  return session ? withSession(state, conversation.id, { ...session, conversation }) : state;
}

/** The conversation's consult thread as the hub has it (conversation.open, consult.send's result). */
export function consulted(state, conversationId, consult) {
  const session = state.sessions[conversationId];
  return session && Array.isArray(consult) ? withSession(state, conversationId, { ...session, consult }) : state;
}

/** Forgets a notice the agent has read. */
export function dismiss(state, index) {
  return { ...state, notices: state.notices.filter((_, i) => i !== index) };
}

const HANDLERS = {
  "conversation.offered": (state, m) => ({ ...state, offers: { ...state.offers, [m.offerId]: m } }),

  "offer.withdrawn": (state, m) => ({ ...state, offers: without(state.offers, m.offerId) }),

  "conversation.assigned": (state, m) => {
    const id = m.conversation.id;
    const offers = Object.fromEntries(Object.entries(state.offers).filter(([, offer]) => offer.conversationId !== id));
    const session = {
      conversation: m.conversation,
      transcript: [...(m.transcript || [])].sort((a, b) => a.sequence - b.sequence),
      attachments: m.attachments || [],
      unread: 0,
      sentiment: null,
      consult: [],
    };
    const order = state.order.includes(id) ? state.order : [...state.order, id];
    return { ...state, offers, order, active: id, sessions: { ...state.sessions, [id]: session } };
  },

  "message.received": (state, m) => {
    const session = state.sessions[m.conversationId];
    if (!session || session.transcript.some((e) => e.sequence === m.message.sequence)) {
      return state;
    }
    const transcript = [...session.transcript, { ...m.message, reason: m.reason }]
      .sort((a, b) => (a.sequence ?? Infinity) - (b.sequence ?? Infinity));
    const unread = state.active === m.conversationId || m.message.direction !== "IN" ? session.unread : session.unread + 1;
    const conversation = m.message.direction === "IN" && session.conversation.state === "WAITING"
      ? { ...session.conversation, state: "ACTIVE" } : session.conversation;
    return withSession(state, m.conversationId, { ...session, transcript, unread, conversation });
  },

  "message.status": (state, m) => {
    const session = state.sessions[m.conversationId];
    if (!session) {
      return state;
    }
    const watermark = Date.parse(m.watermark);
    const transcript = session.transcript.map((e) => e.direction === "OUT" && Date.parse(e.sentAt) <= watermark
      && (STATUS_RANK[e.status] ?? 0) < STATUS_RANK[m.status] ? { ...e, status: m.status } : e);
    return withSession(state, m.conversationId, { ...session, transcript });
  },

  "message.sent": (state, m) => mapEntry(state, m.conversationId, m.requestId, (e) => ({ ...e, mid: m.mid,
    status: (STATUS_RANK[e.status] ?? 0) < STATUS_RANK.SENT ? "SENT" : e.status })),

  "message.failed": (state, m) => {
    const failed = mapEntry(state, m.conversationId, m.requestId, (e) => ({ ...e, status: "FAILED", reason: m.reason }));
    return failed === state ? notice(state, "failed", m.conversationId, m.reason) : failed;
  },

  "conversation.state-changed": (state, m) => {
    const session = state.sessions[m.conversationId];
    if (!session) {
      return state;
    }
    if (m.state === "OPEN") {
      // Given back to its queue while the agent was away: no longer the agent's.
      return notice(closeSession(state, m.conversationId), "released", m.conversationId, m.by);
    }
    const changed = withSession(state, m.conversationId, { ...session, conversation: { ...session.conversation, state: m.state } });
    return notice(changed, m.state === "CLOSED" ? "closed" : "changed", m.conversationId, m.by);
  },

  // A supervisor's consult message: in the conversation's thread, counted as unread while another tab is shown.
  "consult.message": (state, m) => {
    const session = state.sessions[m.conversationId];
    if (!session || (session.consult || []).some((c) => c.id === m.consult.id)) {
      return state;
    }
    const unread = state.active === m.conversationId ? session.unread : session.unread + 1;
    return withSession(state, m.conversationId, { ...session, consult: [...(session.consult || []), m.consult], unread });
  },

  // A supervisor gave the conversation to another agent or to a queue: it is no longer this agent's.
  "conversation.reassigned": (state, m) => notice(closeSession(state, m.conversationId), "reassigned", m.conversationId,
    m.agentId || m.queue),

  "conversation.erased": (state, m) => notice(closeSession(state, m.conversationId), "erased", m.conversationId, m.reason),

  "conversation.customer-updated": (state, m) => {
    const session = state.sessions[m.conversationId];
    if (!session) {
      return state;
    }
    const conversation = { ...session.conversation, customer: m.customer, customerDataIncomplete: m.customerDataIncomplete };
    return withSession(state, m.conversationId, { ...session, conversation });
  },

  "conversation.sentiment": (state, m) => {
    const session = state.sessions[m.conversationId];
    if (!session) {
      return state;
    }
    const before = session.sentiment ? session.sentiment.score : null;
    const trend = before === null || m.score === before ? "steady" : m.score > before ? "rising" : "falling";
    return withSession(state, m.conversationId, { ...session, sentiment: { level: m.level, score: m.score, trend } });
  },

  "attachment.stored": (state, m) => {
    const session = state.sessions[m.conversationId];
    if (!session) {
      return state;
    }
    const stored = { attachmentId: m.attachmentId, name: m.name, contentType: m.contentType, size: m.size, status: "STORED" };
    const known = session.attachments.some((a) => a.attachmentId === m.attachmentId);
    const attachments = known ? session.attachments.map((a) => a.attachmentId === m.attachmentId ? { ...a, ...stored } : a)
      : [...session.attachments, stored];
    return withSession(state, m.conversationId, { ...session, attachments });
  },
};

function withSession(state, id, session) {
  return { ...state, sessions: { ...state.sessions, [id]: session } };
}

function mapEntry(state, conversationId, requestId, change) {
  const session = state.sessions[conversationId];
  if (!session || !session.transcript.some((e) => e.requestId === requestId)) {
    return state;
  }
  return withSession(state, conversationId,
    { ...session, transcript: session.transcript.map((e) => e.requestId === requestId ? change(e) : e) });
}

function closeSession(state, id) {
  const order = state.order.filter((tab) => tab !== id);
  return { ...state, sessions: without(state.sessions, id), order, active: state.active === id ? HOME : state.active };
}

function notice(state, kind, conversationId, detail) {
  return { ...state, notices: [...state.notices, { kind, conversationId, detail }] };
}

function without(map, key) {
  const copy = { ...map };
  delete copy[key];
  return copy;
}
