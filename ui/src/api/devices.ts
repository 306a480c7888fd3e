import { call } from './invoke'
import type { DeviceKind, DeviceOpened, DeviceView, FollowupPeriod } from './types'

// The hall's devices (issue 19), the administrator's: a kiosk (取号机), a waiting-room screen
// (等候区大屏) or a counter's rating pad (评价器) is a browser on the hall LAN that opens its
// page on the hall server. Every rule (the kinds, the name, the pad's clerk, the town) is the
// backend's, which refuses naming the field (`kind`, `label`, `staff`).

/** The kinds of device, in the order the dialog offers them (`front::device::DeviceKind`). */
export const DEVICE_KINDS = ['kiosk', 'screen', 'pad'] as const satisfies readonly DeviceKind[]

/**
 * 开通设备: a `kind` device named `label` of the account's town; a pad names its counter's clerk
 * (`staff`), the others send none. The answer's `token` and `link` are shown this once.
 */
export function deviceOpen(kind: DeviceKind, label: string, staff: string | null): Promise<DeviceOpened> {
  return call<DeviceOpened>('device_open', { town: null, kind, staff, label })
}

/** The hall's devices, the newest first, open and closed. */
export function deviceList(): Promise<DeviceView[]> {
  return call<DeviceView[]>('device_list', { town: null })
}

/** 停用: device `id`'s session ends at once. */
export function deviceClose(id: number): Promise<DeviceView> {
  return call<DeviceView>('device_close', { id })
}

/**
 * The hall's follow-up period for 差评 in working days (the leader's): read without `days`,
 * set with it (the backend takes 1 to 30 and refuses naming `days`).
 */
export function followupPeriod(town: string | null, days: number | null = null): Promise<FollowupPeriod> {
  return call<FollowupPeriod>('followup_period', { town, days })
}
