import { ElMessage } from 'element-plus'
import { toBackendError, UNEXPECTED } from './invoke'

/** The one place where a failed command is shown to the clerk. */
export function showError(err: unknown): void {
  const error = toBackendError(err)
  if (error.code === UNEXPECTED) {
    // The clerk sees a general message; the detail is for whoever maintains
    // the machine.
    console.error('backend call failed', error.cause)
  }
  ElMessage({
    type: 'error',
    message: error.message,
    showClose: true,
    duration: 6000,
    grouping: true,
  })
}

/** A short confirmation that something the clerk asked for was done. */
export function showSuccess(message: string): void {
  ElMessage({ type: 'success', message, showClose: true, duration: 4000 })
}
