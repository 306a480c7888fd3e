// The printer this PC last printed to, remembered between forms and screens (the preview's
// choice, and the intake's 受理并打印, which prints without asking).
import { readRemembered, writeRemembered } from './remembered'

const PRINTER_KEY = 'bianmin.forms.printer'

export function rememberedPrinter(): string | null {
  return readRemembered(PRINTER_KEY)
}

export function rememberPrinter(name: string | null): void {
  writeRemembered(PRINTER_KEY, name)
}
