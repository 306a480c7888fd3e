// A choice this PC remembers between sessions (window.localStorage). Storage may be unavailable;
// the choice then lasts for this page only.

export function readRemembered(key: string): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return null
  }
}

export function writeRemembered(key: string, value: string | null): void {
  try {
    if (value) window.localStorage.setItem(key, value)
    else window.localStorage.removeItem(key)
  } catch {
    // Not remembered: this page keeps it.
  }
}
