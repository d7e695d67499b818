// Who is logged in: token (kept in localStorage), user, scope and permissions from /auth/me.
import { computed, reactive } from 'vue'
import { api, setToken, setUnauthorizedHandler } from './api/client'
import type { Me } from './api/types'

const TOKEN_KEY = 'nenghao.token'

interface SessionState {
  token: string | null
  me: Me | null
}

export const session = reactive<SessionState>({ token: localStorage.getItem(TOKEN_KEY), me: null })
setToken(session.token)

export const isLoggedIn = computed(() => session.token !== null && session.me !== null)
export const role = computed(() => session.me?.user.role ?? null)

/** Whether the current user's role holds `permission` (as the API reports it). */
export function can(permission: string | undefined): boolean {
  if (!permission) return true
  return session.me?.permissions.includes(permission) ?? false
}

function store(token: string | null): void {
  session.token = token
  setToken(token)
  if (token) localStorage.setItem(TOKEN_KEY, token)
  else localStorage.removeItem(TOKEN_KEY)
}

export async function login(username: string, password: string): Promise<void> {
  const answer = await api.post('/api/v1/auth/login', { body: { username, password } })
  store(answer.token)
  await loadMe()
}

/** Load the current user; false (and the token dropped) when the token is no longer valid. */
export async function loadMe(): Promise<boolean> {
  if (!session.token) return false
  try {
    session.me = await api.get('/api/v1/auth/me')
    return true
  } catch {
    clear()
    return false
  }
}

export function clear(): void {
  store(null)
  session.me = null
}

export async function logout(): Promise<void> {
  try {
    await api.post('/api/v1/auth/logout')
  } catch {
    // the token may already be gone; the local session ends either way
  }
  clear()
}

export function onSessionExpired(handler: () => void): void {
  setUnauthorizedHandler(() => {
    clear()
    handler()
  })
}
