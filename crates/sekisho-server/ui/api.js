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

/** The response to `method path`; throws ApiError (status 0 when the server cannot be reached). */
async function send(method, path, body, contentType, key = savedKey()) {
  const headers = { Accept: "application/json" };
  if (key) headers.Authorization = `ApiKey ${key}`;
  if (body !== undefined) headers["Content-Type"] = contentType;
  let response;
  try {
    response = await fetch(path, { method, headers, body });
  } catch (e) {
    throw new ApiError(0, e.message, path);
  }
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      // Not JSON: reported with the status line.
    }
    throw new ApiError(response.status, (data && data.detail) || response.statusText, path);
  }
  return response;
}

/** JSON from `method path`; throws ApiError (status 0 when the server cannot be reached). */
export async function call(method, path, body, key = savedKey()) {
  const json = body === undefined ? undefined : JSON.stringify(body);
  const response = await send(method, path, json, "application/json", key);
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** POSTs a file as the request body; the JSON answer. */
export async function upload(path, file) {
  const response = await send("POST", path, file, file.type || "application/octet-stream");
  return response.json();
}

/** A file the API serves (a job's result), as a Blob. */
export async function download(path) {
  const response = await send("GET", path);
  return response.blob();
}

/** Builds `path?k=v&...`, leaving out empty values. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") query.set(k, v);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
