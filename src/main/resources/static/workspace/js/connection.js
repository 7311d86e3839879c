// Which of the broker's WebSocket URLs a connection attempt opens: settings.json lists the live broker's first and
// its backup's after it; the attempts go round them, so a workspace finds the backup once it has taken over.

/** The URL of attempt number `attempt` (0, 1, 2, ...). */
export function brokerUrlFor(urls, attempt) {
  const list = (urls || []).filter(Boolean);
  return list.length ? list[attempt % list.length] : null;
}

/** The URLs of settings.json: brokerUrls, or the single brokerUrl of an older hub. */
export function brokerUrlsOf(settings) {
  return Array.isArray(settings.brokerUrls) && settings.brokerUrls.length ? settings.brokerUrls
    : [settings.brokerUrl].filter(Boolean);
}
