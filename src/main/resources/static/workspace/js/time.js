// Clocks an agent watches: an offer's countdown and the Messenger windows a reply must fit in.

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** Whole seconds left until `expiresAt` (ISO-8601) at `now` (ms since the epoch); never below 0. */
export function secondsLeft(expiresAt, now) {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) {
    return 0;
  }
  return Math.max(0, Math.ceil((end - now) / SECOND));
}

/** "1:05" for 65 seconds, "0:09" for 9: a countdown as agents read it. */
export function formatCountdown(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * Which Messenger window a reply falls in, counted from the customer's last message (Facebook's rules, see
 * docs/agent-protocol.md section 5): the standard 24 h window, then, for Pages allowed to use the HUMAN_AGENT tag,
 * 7 days; after that nothing may be sent.
 *
 * @returns {{window: "standard"|"human-agent"|"closed", msLeft: number}}
 */
export function messagingWindow(lastCustomerMessageAt, now, humanAgentTag) {
  const last = Date.parse(lastCustomerMessageAt);
  if (Number.isNaN(last)) {
    return { window: "closed", msLeft: 0 };
  }
  const standardEnd = last + 24 * HOUR;
  if (now < standardEnd) {
    return { window: "standard", msLeft: standardEnd - now };
  }
  const humanAgentEnd = last + 7 * 24 * HOUR;
  if (humanAgentTag && now < humanAgentEnd) {
    return { window: "human-agent", msLeft: humanAgentEnd - now };
  }
  return { window: "closed", msLeft: 0 };
}

/** "23 h 59 min", "42 min", "6 d 3 h": how long is left, to the minute. */
export function formatDuration(ms) {
  const minutes = Math.max(0, Math.floor(ms / (60 * SECOND)));
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const rest = minutes % 60;
  if (days > 0) {
    return `${days} d ${hours} h`;
  }
  return hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
}
