// Commands to the hub (docs/agent-protocol.md section 2): each has a fresh requestId, and its command.result, which
// arrives on the inbox, settles the promise the sender holds. Heartbeats get no result.

/** A UUID; crypto.randomUUID exists only on https:// and localhost pages, getRandomValues everywhere. */
export function newRequestId() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class Commands {
  /** @param send function(destination body) that publishes a text frame to the hub's command queue */
  constructor(send, timeoutMs = 30000) {
    this.send = send;
    this.timeoutMs = timeoutMs;
    this.pending = new Map();
  }

  /** Sends a command; resolves with its result when ok, rejects with the hub's reason when refused. */
  request(type, fields = {}) {
    const requestId = newRequestId();
    const answer = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`no answer to ${type} within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
    });
    this.send(JSON.stringify({ type, requestId, ...fields }));
    return { requestId, answer };
  }

  heartbeat() {
    this.send(JSON.stringify({ type: "heartbeat" }));
  }

  /** Settles the command a command.result answers; false when it answers none of ours (an earlier session's). */
  settle(result) {
    const waiting = this.pending.get(result.requestId);
    if (!waiting) {
      return false;
    }
    clearTimeout(waiting.timer);
    this.pending.delete(result.requestId);
    if (result.ok) {
      waiting.resolve(result);
    } else {
      waiting.reject(new Error(result.reason || "refused"));
    }
    return true;
  }
}
