// The studio's only way to the server: the public /api/v1, with the token when the server has one.
// Every failure becomes an ApiError whose message is one line a person can act on.

const TOKEN_KEY = "aishorts.token";

/** An API failure: the server's `{"error": {code, message, field}}`, or the network's. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** Whether the server could not be reached at all. */
  get unreachable() { return this.status === 0; }
}

/** The token for this tab (sessionStorage: it goes when the tab closes). */
export function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};
let onReachability = () => {};
/** Hooks the page sets: ask for the token on a 401; show or hide the unreachable-server banner. */
export function setHooks(hooks) {
  onUnauthorized = hooks.unauthorized || onUnauthorized;
  onReachability = hooks.reachability || onReachability;
}

function headers(extra = {}) {
  const all = { Accept: "application/json", ...extra };
  const value = token();
  if (value) all.Authorization = `Bearer ${value}`;
  return all;
}

async function failure(response) {
  let code = "error";
  let message = `the server answered ${response.status} ${response.statusText}`;
  let field;
  try {
    const body = await response.json();
    if (body && body.error) ({ code, message, field } = body.error);
  } catch { /* not JSON: keep the status line */ }
  return new ApiError(response.status, code, message, field);
}

/** Sends a request to `/api/v1` + path; resolves to the Response (2xx or 304) or throws ApiError. */
export async function request(path, { method = "GET", body, json, headers: extra, signal } = {}) {
  const init = { method, headers: headers(extra), signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    onReachability(false);
    throw new ApiError(0, "unreachable", "the AiShorts server cannot be reached; is `aishorts serve` still running?");
  }
  onReachability(true);
  if (response.status === 401) onUnauthorized();
  if (!response.ok) throw await failure(response);
  return response;
}

/** GET/POST/PUT/DELETE returning the JSON body (or null for 204). */
export async function call(path, options = {}) {
  const response = await request(path, options);
  if (response.status === 204) return null;
  return response.json();
}

/** Whether the server wants a token (health is open, so asking costs no 401). */
export async function health() {
  return call("/health");
}

/**
 * A URL the page can put in `src`/`href` for a file of the API. Without a token it is the API's own
 * URL (players stream it with ranges); with one, the file is fetched with the token and handed over
 * as a blob URL, since media elements cannot send headers.
 */
export async function fileURL(path) {
  if (!token()) return `/api/v1${path}`;
  const response = await request(path, { headers: { Accept: "*/*" } });
  return URL.createObjectURL(await response.blob());
}

/**
 * Uploads one file as multipart/form-data with progress (fetch reports none for request bodies, so
 * this is XMLHttpRequest). `progress` gets a fraction 0…1; resolves to the upload object.
 */
export function upload(file, progress = () => {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/uploads");
    const value = token();
    if (value) xhr.setRequestHeader("Authorization", `Bearer ${value}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* keep null */ }
      if (xhr.status >= 200 && xhr.status < 300 && body) { progress(1); resolve(body); return; }
      if (xhr.status === 401) onUnauthorized();
      const error = body && body.error ? body.error : { code: "error", message: `the upload failed (${xhr.status})` };
      reject(new ApiError(xhr.status, error.code, error.message, error.field));
    });
    xhr.addEventListener("error", () => {
      onReachability(false);
      reject(new ApiError(0, "unreachable", "the upload could not reach the server"));
    });
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
