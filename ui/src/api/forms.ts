import { call } from './invoke'
import type { FormIssue, FormKind, FormPreview, FormPrinted, FormSaved, Paper, Printers } from './types'

/**
 * Which form: a request's (number), a hand-over list (department, on, town)
 * or the staffing report (town, on). `on` is YYYY-MM-DD, today when absent.
 */
export interface FormTarget {
  kind: FormKind
  number?: string | null
  department?: string | null
  town?: string | null
  on?: string | null
}

function targetArgs(target: FormTarget, paper: Paper | null): Record<string, unknown> {
  return {
    kind: target.kind,
    number: target.number ?? null,
    department: target.department ?? null,
    town: target.town ?? null,
    on: target.on ?? null,
    paper,
  }
}

/** The form as it would print now, one PNG per page. */
export function formPreview(target: FormTarget, paper: Paper | null): Promise<FormPreview> {
  return call<FormPreview>('form_preview', targetArgs(target, paper))
}

/**
 * Prints the form (on `printer`, or the system default when null) and
 * records the issue against `staff`; nothing is recorded when printing fails.
 */
export function formPrint(
  target: FormTarget,
  paper: Paper | null,
  printer: string | null,
  staff: string,
): Promise<FormPrinted> {
  return call<FormPrinted>('form_print', { ...targetArgs(target, paper), printer, staff })
}

/**
 * Asks where to save (the system's save dialog), writes the PDF there and
 * records the issue against `staff`; null when the clerk cancels.
 */
export function formSave(target: FormTarget, paper: Paper | null, staff: string): Promise<FormSaved | null> {
  return call<FormSaved | null>('form_save', { ...targetArgs(target, paper), staff })
}

/** The printers CUPS knows and the default one; empty when none. */
export function listPrinters(): Promise<Printers> {
  return call<Printers>('printers')
}

/** Every issue of a form, first copy first. */
export function formIssues(formNo: string): Promise<FormIssue[]> {
  return call<FormIssue[]>('form_issues', { formNo })
}
