import { call } from './invoke'
import type { Called, TicketView } from './types'

/** 叫号: finishes the resident being served and calls the next of this counter's posts. */
export function queueCall(staff: string | null): Promise<Called> {
  return call<Called>('queue_call', { staff })
}

/** 办结 (with the requests taken in for the resident), 过号 or 重呼 of the one being served. */
export function queueDone(
  staff: string | null,
  what: 'finish' | 'skip' | 'recall',
  request: string | null = null,
): Promise<TicketView> {
  return call<TicketView>('queue_done', { staff, what, request })
}
