import { call } from './invoke'
import type { Called, FollowupStep, QueueStats, RatingView, Taken, TicketView } from './types'

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

/**
 * 取号 at the counter for a resident who came straight to the desk: a ticket for `post` of
 * `town`, with the 绿色通道 `priority` asked for (null: none). The backend refuses outside
 * opening hours and for a post nobody sits at today, naming `post`.
 */
export function queueTake(town: string | null, post: string, priority: string | null): Promise<Taken> {
  return call<Taken>('queue_take', { town, post, priority })
}

/** The day's queue figures of `town` (today without `on`); they list every hall post. */
export function queueStats(town: string | null, on: string | null = null): Promise<QueueStats> {
  return call<QueueStats>('queue_stats', { town, on })
}

/** The ratings of `town`, newest first; `bad`: only the 差评, each with its follow-up. */
export function ratingList(town: string | null, bad: boolean): Promise<RatingView[]> {
  return call<RatingView[]>('rating_list', { town, bad })
}

/**
 * A step of 差评回访 `id` (a rating's `followup_id`) by the caller as their own staff member;
 * the close needs `result`, what the resident was told. Answers the rating as it now stands.
 */
export function followupStep(id: number, step: FollowupStep, result: string | null): Promise<RatingView> {
  return call<RatingView>('followup_step', { id, staff: null, step, result })
}
