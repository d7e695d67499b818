// The HTTP client of the dashboard, typed from the API's OpenAPI document (schema.d.ts is
// generated at build time by openapi-typescript; see docs/web.md). Every failure becomes an
// ApiError carrying the API's one error shape {"error": {"code", "message", "details"}},
// its message in the page's language (Accept-Language).
// The session is the HttpOnly cookie the API set at log-in (never seen by this script); each
// write echoes the readable CSRF cookie in the X-CSRF-Token header.
import type { paths } from './schema'

export const API_BASE = ''

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message)
    this.status = status
    this.code = code
    this.details = details
  }
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete'
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : unknown
type OpOf<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>
type Ok<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? Json<R[200]>
    : 201 extends keyof R
      ? Json<R[201]>
      : unknown
  : unknown
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
type PathOf<O> = O extends { parameters: { path: infer X } } ? X : never
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never

export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends undefined | never ? never : P
}[keyof paths]

export type ResponseOf<P extends keyof paths, M extends Method> = Ok<OpOf<P, M>>
export type Query<P extends keyof paths, M extends Method = 'get'> = QueryOf<OpOf<P, M>>

export interface RequestOptions<P extends keyof paths, M extends Method> {
  path?: PathOf<OpOf<P, M>>
  query?: QueryOf<OpOf<P, M>> | Record<string, string | number | boolean | null | undefined>
  body?: BodyOf<OpOf<P, M>>
}

// Requests in flight and the time of the last change: the browser tests and the render
// benchmark wait on `window.__nhIdle()` instead of a fixed network-idle delay.
let inFlight = 0
let lastChange = 0
function tracked(input: string, init?: RequestInit): Promise<Response> {
  inFlight++
  lastChange = performance.now()
  return fetch(input, init).finally(() => {
    inFlight--
    lastChange = performance.now()
  })
}
;(window as unknown as { __nhIdle: (quietMs?: number) => boolean }).__nhIdle = (quietMs = 150) =>
  inFlight === 0 && performance.now() - lastChange >= quietMs

const CSRF_COOKIE = 'nenghao_csrf'
let sessionActive = false
let onUnauthorized: (() => void) | null = null

/** Whether a session is believed active (a 401 then means it has expired). */
export function setSessionActive(value: boolean): void {
  sessionActive = value
}

/** Called when the API answers 401 while a session was active (expired session). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

/** The headers of a request: JSON answers, error messages in the language of the page (the
 * API answers Chinese messages to Accept-Language zh), and on a write the CSRF token. */
function headersFor(method: string, accept = true): Record<string, string> {
  const headers: Record<string, string> = accept ? { Accept: 'application/json' } : {}
  headers['Accept-Language'] = document.documentElement.lang || 'zh-CN'
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = document.cookie
      .split('; ')
      .find((pair) => pair.startsWith(`${CSRF_COOKIE}=`))
      ?.slice(CSRF_COOKIE.length + 1)
    if (csrf) headers['X-CSRF-Token'] = decodeURIComponent(csrf)
  }
  return headers
}

function buildUrl(template: string, path?: object, query?: object): string {
  let url = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = (path as Record<string, unknown> | undefined)?.[name]
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.append(key, String(value))
  }
  const qs = search.toString()
  if (qs) url += `?${qs}`
  return API_BASE + url
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } }
    if (body && body.error && typeof body.error.code === 'string') {
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message ?? body.error.code,
        body.error.details ?? null,
      )
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'request failed')
}

/** One API call; resolves to the typed JSON answer or rejects with an ApiError. */
export async function request<P extends keyof paths, M extends Method>(
  method: M,
  template: P,
  options: RequestOptions<P, M> = {},
): Promise<ResponseOf<P, M>> {
  const headers = headersFor(method.toUpperCase())
  let body: string | undefined
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  let response: Response
  try {
    response = await tracked(buildUrl(template as string, options.path as object, options.query as object), {
      method: method.toUpperCase(),
      headers,
      body,
    })
  } catch (exc) {
    throw new ApiError(0, 'network_error', exc instanceof Error ? exc.message : String(exc))
  }
  if (!response.ok) {
    const error = await errorOf(response)
    if (response.status === 401 && sessionActive && onUnauthorized && template !== '/api/v1/auth/login') {
      onUnauthorized()
    }
    throw error
  }
  return (await response.json()) as ResponseOf<P, M>
}

export const api = {
  get<P extends PathsWith<'get'>>(template: P, options?: RequestOptions<P, 'get'>) {
    return request('get', template, options)
  },
  post<P extends PathsWith<'post'>>(template: P, options?: RequestOptions<P, 'post'>) {
    return request('post', template, options)
  },
  patch<P extends PathsWith<'patch'>>(template: P, options?: RequestOptions<P, 'patch'>) {
    return request('patch', template, options)
  },
  put<P extends PathsWith<'put'>>(template: P, options?: RequestOptions<P, 'put'>) {
    return request('put', template, options)
  },
  delete<P extends PathsWith<'delete'>>(template: P, options?: RequestOptions<P, 'delete'>) {
    return request('delete', template, options)
  },
}

/** A file answer of the API (report, template): fetched with the session cookie, then saved
 * under the name the API gives in Content-Disposition (or `fallback`). */
export async function downloadFile<P extends keyof paths>(
  template: P,
  options: { path?: object; query?: object },
  fallback: string,
): Promise<string> {
  const headers = headersFor('GET', false)
  let response: Response
  try {
    response = await tracked(buildUrl(template as string, options.path, options.query), { headers })
  } catch (exc) {
    throw new ApiError(0, 'network_error', exc instanceof Error ? exc.message : String(exc))
  }
  if (!response.ok) throw await errorOf(response)
  const blob = await response.blob()
  const name = fileNameOf(response.headers.get('Content-Disposition')) ?? fallback
  saveBlob(blob, name)
  return name
}

/** The file name of a Content-Disposition header (RFC 6266 filename* first). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) return decodeURIComponent(star[1])
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1] : null
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** The text of a file answer (e.g. the CSV import template, read for its item list). */
export async function fetchText<P extends keyof paths>(template: P, options: { path?: object; query?: object }): Promise<string> {
  const headers = headersFor('GET', false)
  const response = await tracked(buildUrl(template as string, options.path, options.query), { headers })
  if (!response.ok) throw await errorOf(response)
  return response.text()
}

/** POST a file as multipart/form-data (field `file`); the JSON answer. */
export async function uploadFile<P extends PathsWith<'post'>>(
  template: P,
  options: { path?: object; query?: object },
  file: File,
): Promise<ResponseOf<P, 'post'>> {
  const form = new FormData()
  form.append('file', file, file.name)
  return postForm(template, options, form)
}

/** POST a multipart/form-data form (fields and files); the JSON answer. */
export async function postForm<P extends PathsWith<'post'>>(
  template: P,
  options: { path?: object; query?: object },
  form: FormData,
): Promise<ResponseOf<P, 'post'>> {
  const headers = headersFor('POST')
  let response: Response
  try {
    response = await tracked(buildUrl(template as string, options.path, options.query), { method: 'POST', headers, body: form })
  } catch (exc) {
    throw new ApiError(0, 'network_error', exc instanceof Error ? exc.message : String(exc))
  }
  if (!response.ok) throw await errorOf(response)
  return (await response.json()) as ResponseOf<P, 'post'>
}

/** Every row of a paged listing (page_size 200), for exports and small reference lists. */
export async function fetchAll<T>(
  load: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>,
  limit = 20000,
): Promise<T[]> {
  const rows: T[] = []
  for (let page = 1; ; page++) {
    const answer = await load(page, 200)
    rows.push(...answer.items)
    if (answer.items.length === 0 || rows.length >= answer.total || rows.length >= limit) break
  }
  return rows
}
