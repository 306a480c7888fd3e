import type { RequestState } from './types'

/** The Element Plus tag colour of each request state, the same on every screen. */
export const STATE_TAG: Record<RequestState, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  consulted: 'info',
  incomplete: 'warning',
  accepted: 'primary',
  refused: 'danger',
  forwarded: 'warning',
  decided: 'success',
  completed: 'success',
  withdrawn: 'info',
  suspended: 'warning',
  received: 'info',
  revoked: 'danger',
}
