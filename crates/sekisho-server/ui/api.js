// Calls to the sekisho API with the key the user pasted (kept in sessionStorage, so it is
// gone when the tab closes). Errors carry the API's status and detail.

const KEY_STORAGE = "sekisho.key";

export class ApiError extends Error {
  constructor(status, detail, path) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.path = path;
  }

  /** A route the server does not have (a server older than this UI), not a missing record. */
  get missingEndpoint() {
    return this.status === 404 && /no such endpoint/.test(this.detail);
  }
}

export function savedKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function saveKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

/** JSON from `method path`; throws ApiError (status 0 when the server cannot be reached). */
export async function call(method, path, body, key = savedKey()) {
  const headers = { Accept: "application/json" };
  if (key) headers.Authorization = `ApiKey ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, e.message, path);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // Not JSON: reported below with the status line.
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.detail) || response.statusText, path);
  }
  return data;
}

/** Builds `path?k=v&...`, leaving out empty values. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") query.set(k, v);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
