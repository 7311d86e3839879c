// The workspace's keyboard shortcuts: Alt with a letter or an arrow, so they never take a key away from typing
// and stay clear of the browser's own (Ctrl+digit, Alt+Left). event.code names the key, whatever the layout.

export const SHORTCUTS = [
  { name: "accept", keys: "Alt+A", code: "KeyA" },
  { name: "reject", keys: "Alt+R", code: "KeyR" },
  { name: "next-session", keys: "Alt+ArrowDown", code: "ArrowDown" },
  { name: "previous-session", keys: "Alt+ArrowUp", code: "ArrowUp" },
  { name: "reply", keys: "Alt+W", code: "KeyW" },
  { name: "quick-reply", keys: "Alt+Q", code: "KeyQ" },
  { name: "knowledge", keys: "Alt+K", code: "KeyK" },
  { name: "end", keys: "Alt+E", code: "KeyE" },
  { name: "close", keys: "Alt+C", code: "KeyC" },
];

/** The shortcut a key press means, or null. */
export function shortcutOf(event) {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
    return null;
  }
  const shortcut = SHORTCUTS.find((s) => s.code === event.code);
  return shortcut ? shortcut.name : null;
}

/** The tab after (step 1) or before (step -1) the active one, going round. */
export function nextTab(tabs, active, step) {
  const at = tabs.indexOf(active);
  return tabs[((at < 0 ? 0 : at) + step + tabs.length) % tabs.length];
}

/** The aria-keyshortcuts value of a shortcut. */
export function keysOf(name) {
  const shortcut = SHORTCUTS.find((s) => s.name === name);
  return shortcut ? shortcut.keys : undefined;
}
