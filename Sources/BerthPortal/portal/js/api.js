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

/** Calls the API with a JSON body (or a Blob/File sent as it is); returns {data, total} (total from
 * X-Total-Count when paged). Throws APIError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken || cookie('__csrf');
    if (token) headers['X-Harbor-CSRF-Token'] = token;
  }
  const init = { method, headers, credentials: 'same-origin' };
  if (body instanceof Blob) {
    headers['Content-Type'] = 'application/octet-stream'; // a file sent as it is (e.g. a database import)
    init.body = body;
  } else if (body !== undefined) {
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

const registryTokens = new Map();

/** A pull token for `repository` from /service/token, authenticated by the session (cached for a minute). */
async function registryToken(repository) {
  const cached = registryTokens.get(repository);
  if (cached && cached.until > Date.now()) return cached.token;
  const headers = { Accept: 'application/json' };
  const csrf = csrfToken || cookie('__csrf');
  if (csrf) headers['X-Harbor-CSRF-Token'] = csrf;
  const scope = `repository:${repository}:pull`;
  const response = await fetch(`/service/token?scope=${encodeURIComponent(scope)}`, { headers, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  const body = await response.json();
  const token = body.token || body.access_token;
  registryTokens.set(repository, { token, until: Date.now() + 60_000 });
  return token;
}

/** GET /v2/<repository>/<path> with a session-derived pull token; returns the response. */
async function registryFetch(repository, path, accept) {
  const token = await registryToken(repository);
  const response = await fetch(`/v2/${repository}/${path}`, {
    headers: { Accept: accept || '*/*', Authorization: `Bearer ${token}` }, credentials: 'omit' });
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401) error.message = 'the registry did not accept the portal session for reading';
    throw error;
  }
  return response;
}

/** A registry JSON document (manifest, referrers index) of `repository`. */
export async function registryJSON(repository, path, accept) {
  return (await registryFetch(repository, path, accept)).json();
}

/** A blob of `repository` as bytes. */
export async function registryBlob(repository, digest) {
  return new Uint8Array(await (await registryFetch(repository, `blobs/${digest}`)).arrayBuffer());
}

/** Harbor encodes a repository's `/` twice in the path segment. */
export function repoSegment(name) {
  return encodeURIComponent(encodeURIComponent(name));
}
