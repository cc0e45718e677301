// The portal's only path to the server: /api/v2.0 and /c/ with the session cookie and the CSRF token.
// The CSRF token is kept in memory (and re-read from the non-HttpOnly __csrf cookie after a reload);
// nothing secret is ever written to localStorage.

let csrfToken = null;

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** An API failure with the server's message in words. */
export class APIError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function failure(response) {
  let message = `${response.status} ${response.statusText}`.trim();
  let code = '';
  try {
    const body = await response.json();
    const first = body && body.errors && body.errors[0];
    if (first) { message = first.message || message; code = first.code || ''; }
  } catch (_) { /* not JSON: keep the status line */ }
  if (response.status === 401 && !code) message = 'Your session has ended. Please sign in again.';
  if (response.status === 403 && !message) message = 'You do not have permission to do this.';
  return new APIError(response.status, message, code);
}

/** Calls the API; returns {data, total} (total from X-Total-Count when paged). Throws APIError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken || cookie('__csrf');
    if (token) headers['X-Harbor-CSRF-Token'] = token;
  }
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path.startsWith('/') ? path : `/api/v2.0/${path}`, init);
  if (!response.ok) throw await failure(response);
  const total = response.headers.get('X-Total-Count');
  const text = await response.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (_) { data = text; } }
  return { data, total: total === null ? null : Number(total), headers: response.headers };
}

export const get = (path) => api('GET', path).then((r) => r.data);

/** Signs in with a local account; keeps the CSRF token in memory. */
export async function login(principal, password) {
  const form = new URLSearchParams({ principal, password });
  const response = await fetch('/c/login', {
    method: 'POST', credentials: 'same-origin', body: form,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  if (!response.ok) throw await failure(response);
  csrfToken = response.headers.get('X-Harbor-CSRF-Token') || cookie('__csrf');
}

/** Ends the session. */
export async function logout() {
  csrfToken = null;
  await fetch('/c/log_out', { method: 'POST', credentials: 'same-origin' });
}

/** Harbor encodes a repository's `/` twice in the path segment. */
export function repoSegment(name) {
  return encodeURIComponent(encodeURIComponent(name));
}
