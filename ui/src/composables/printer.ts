// The printer this PC last printed to, remembered between forms and screens (the preview's
// choice, and the intake's 受理并打印, which prints without asking).

const PRINTER_KEY = 'bianmin.forms.printer'

export function rememberedPrinter(): string | null {
  try {
    return window.localStorage.getItem(PRINTER_KEY)
  } catch {
    return null
  }
}

export function rememberPrinter(name: string | null): void {
  try {
    if (name) window.localStorage.setItem(PRINTER_KEY, name)
    else window.localStorage.removeItem(PRINTER_KEY)
  } catch {
    // The choice then lasts for this page only.
  }
}
