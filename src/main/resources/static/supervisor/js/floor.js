// Pure helpers of the supervisor page: how long someone has waited, how a conversation and a risk are named. No page,
// no hub: tested on their own (workspace-tests).

/** Seconds from `since` to now on the hub's clock: `skewMs` is the hub's clock minus the browser's. */
export function secondsSince(since, nowMs, skewMs = 0) {
  const start = Date.parse(since);
  return Number.isNaN(start) ? 0 : Math.max(0, Math.floor((nowMs + skewMs - start) / 1000));
}

/** The customer's name, or "Customer <psid>" when the CRM and Facebook gave none. */
export function customerOf(line) {
  return line.customer || `Customer ${line.customerPsid || line.conversationId || ""}`.trim();
}

const KINDS = {
  sentiment: "Negative sentiment",
  "message-failed": "Message not sent",
  "page-reauthorisation": "Page needs re-authorisation",
  waiting: "Waiting too long",
};

/** What a risk is, for people. */
export function riskTitle(risk) {
  return KINDS[risk.kind] || risk.kind;
}

/** The at-risk list: alerts first (oldest first), then the long waits (longest first). */
export function ordered(risks) {
  const alerts = risks.filter((risk) => risk.alertId !== null && risk.alertId !== undefined);
  const waits = risks.filter((risk) => risk.alertId === null || risk.alertId === undefined);
  const bySince = (a, b) => Date.parse(a.since) - Date.parse(b.since);
  return [...alerts.sort(bySince), ...waits.sort(bySince)];
}
