// Who is logged in: user, scope and permissions from /auth/me. The session itself is an
// HttpOnly cookie set by the API at log-in: no token is ever kept where a script can read it.
import { computed, reactive } from 'vue'
import { api, setSessionActive, setUnauthorizedHandler } from './api/client'
import type { Me } from './api/types'

interface SessionState {
  me: Me | null
}

export const session = reactive<SessionState>({ me: null })

export const isLoggedIn = computed(() => session.me !== null)
export const role = computed(() => session.me?.user.role ?? null)

/** Whether the current user's role holds `permission` (as the API reports it). */
export function can(permission: string | undefined): boolean {
  if (!permission) return true
  return session.me?.permissions.includes(permission) ?? false
}

export async function login(username: string, password: string): Promise<void> {
  await api.post('/api/v1/auth/login', { body: { username, password, cookie: true } })
  await loadMe()
}

/** Load the current user from the session cookie; false when there is no valid session. */
export async function loadMe(): Promise<boolean> {
  try {
    session.me = await api.get('/api/v1/auth/me')
    setSessionActive(true)
    return true
  } catch {
    clear()
    return false
  }
}

export function clear(): void {
  setSessionActive(false)
  session.me = null
}

export async function logout(): Promise<void> {
  try {
    await api.post('/api/v1/auth/logout')
  } catch {
    // the session may already be gone; the local session ends either way
  }
  clear()
}

export function onSessionExpired(handler: () => void): void {
  setUnauthorizedHandler(() => {
    clear()
    handler()
  })
}
