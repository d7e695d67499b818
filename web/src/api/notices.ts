// Notices (通知公告): the unread count shown in the header, refreshed after each reading.
import { reactive } from 'vue'
import { api, downloadFile } from './client'
import type { NoticeAttachment } from './types'

export const unreadNotices = reactive({ count: 0 })

/** Reload the caller's unread count (0 when it cannot be read). */
export async function refreshUnread(): Promise<number> {
  try {
    unreadNotices.count = (await api.get('/api/v1/notices/unread')).unread
  } catch {
    unreadNotices.count = 0
  }
  return unreadNotices.count
}

/** Save an attachment under its own name. */
export function downloadAttachment(file: NoticeAttachment): Promise<string> {
  return downloadFile('/api/v1/notices/attachments/{entry_id}', { path: { entry_id: file.id } }, file.filename)
}
