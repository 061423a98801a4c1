// careercoach /test page: what every card shares (UI text, DOM helpers, the API client, errors and actions).
// Every piece of user or model text goes into the page with textContent, createTextNode or element
// properties: never innerHTML, outerHTML, insertAdjacentHTML or document.write.

// ---- where the API is: relative to this page, so an API Gateway stage prefix (/dev/test) just works ---------
export const BASE = location.pathname.replace(/\/test\/?$/, "");
export const PARAMS = new URLSearchParams(location.search);

// ---- UI text: each card adds its own strings (addStrings); English is the fallback -------------------------
const LANGUAGES = ["ko", "en"];
const STRINGS = { en: {}, ko: {} };
const languageListeners = [];
let uiLang = (navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
if (LANGUAGES.includes(PARAMS.get("lang"))) uiLang = PARAMS.get("lang");

export function addStrings(tables) {
  for (const language of LANGUAGES) Object.assign(STRINGS[language], tables[language] || {});
}

export function lang() {
  return uiLang;
}

// True when the current language has its own text for `key` (no English fallback).
export function hasText(key) {
  return Object.prototype.hasOwnProperty.call(STRINGS[uiLang], key);
}

export function t(key) {
  if (hasText(key)) return STRINGS[uiLang][key];
  return Object.prototype.hasOwnProperty.call(STRINGS.en, key) ? STRINGS.en[key] : key;
}

// A dictionary string with {name} placeholders filled in.
export function fmt(key, values) {
  return t(key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// A label for a machine value (stage, category...): the dictionary's, else the value itself.
export function label(prefix, value) {
  return hasText(prefix + value) ? t(prefix + value) : String(value);
}

// Keys one language has and the other lacks (the page publishes them for the tests: data-i18n-missing).
// Error codes (err_) and validation messages (v_) exist in other languages only: English shows the API's own
// words.
const TRANSLATIONS_OF_THE_API = /^(err|v)_/;

export function missingStrings() {
  const missing = [];
  for (const [from, to] of [["en", "ko"], ["ko", "en"]]) {
    for (const key of Object.keys(STRINGS[from])) {
      if (!(key in STRINGS[to]) && !(to === "en" && TRANSLATIONS_OF_THE_API.test(key))) missing.push(`${to}:${key}`);
    }
  }
  return missing;
}

// Runs `listener` after every language change (re-render what was built from dictionary text).
export function onLanguageChange(listener) {
  languageListeners.push(listener);
}

export function setLanguage(language) {
  uiLang = LANGUAGES.includes(language) ? language : "en";
  applyLanguage();
}

export function applyLanguage() {
  document.documentElement.lang = uiLang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const listener of languageListeners) listener();
}

// ---- DOM helpers: text only --------------------------------------------------------------------------------
export const $ = (id) => document.getElementById(id);

// An element with properties (`text` is its textContent, `testid` its data-testid) and children (strings
// become text nodes).
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) continue;
    if (name === "testid") node.dataset.testid = value;
    else if (name === "text") node.textContent = String(value);
    else if (name === "className") node.className = value;
    else node[name] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" || typeof child === "number"
      ? document.createTextNode(String(child)) : child);
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// Dictionary text that follows the UI language (applyLanguage re-translates every [data-i18n]).
export function setI18nText(node, key) {
  node.dataset.i18n = key;
  node.textContent = t(key);
}

export function safeHref(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

// ---- a tiny event bus between cards (e.g. "resume": the current resume changed) -------------------------
const listeners = {};

export function on(name, listener) {
  (listeners[name] = listeners[name] || []).push(listener);
}

export function emit(name, value) {
  for (const listener of listeners[name] || []) listener(value);
}

// ---- the access token ----------------------------------------------------------------------------------------
// It lives in this tab's sessionStorage only: never localStorage, never the page's URL, never the event log. It
// leaves the page only as the Authorization header and the WebSocket's `token` parameter.
const TOKEN_KEY = "careercoach.accessToken";

export function readStoredToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (_) { return ""; }
}

export function storeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch (_) { /* storage unavailable: the token lives in the field only */ }
}

// The field's token; a pasted "Bearer " prefix and line breaks are dropped (a JWT has no whitespace).
export function accessToken() {
  return $("access-token").value.trim().replace(/^bearer\s+/i, "").replace(/\s+/g, "");
}

// A WebSocket address with the token as the `token` query parameter (a browser cannot set headers on a
// WebSocket).
export function socketUrl(address) {
  const token = accessToken();
  if (!token) return address;
  const url = new URL(address, location.href);
  url.search = `${url.search ? `${url.search}&` : "?"}token=${encodeURIComponent(token)}`;
  return url.toString();
}

// ---- the event log ----------------------------------------------------------------------------------------
export function log(message) {
  const time = new Date().toISOString().slice(11, 23);
  const item = el("li", { testid: "log-entry" }, el("time", { text: time }), " ", String(message));
  const list = $("event-log");
  list.appendChild(item);
  list.scrollTop = list.scrollHeight;
}

// ---- HTTP --------------------------------------------------------------------------------------------------
// What went wrong, kept as facts so that the message can be rendered again in another UI language:
// - key/params: a dictionary message (client-side checks, the network, answers the page explains itself);
// - status/body: a failed answer (the common error body, or API Gateway's own {"message"});
// - code/serverMessage: the error code and the API's own message (English).
export class PageError extends Error {
  constructor({ key, params, code, status = 0, body, serverMessage, gatewayMessage, details, scope }) {
    super(serverMessage || key || code || "error");
    Object.assign(this, {
      key, params: params || {}, code, status, body, serverMessage, gatewayMessage, details, scope,
    });
  }

  // A check made in the page before anything is sent.
  static check(key, params, code = "validation_error") {
    return new PageError({ key, params, code });
  }
}

// `body` is sent as JSON, or as it is when it is FormData (the browser writes the multipart/form-data body and
// its Content-Type with the boundary). `scope` names the route family whose own error texts come first
// (err_<scope>_<code>, e.g. the import route's 415 is not about JSON).
export async function api(method, path, body, { auth = true, scope } = {}) {
  const url = path.startsWith("/") ? BASE + path : path;
  const init = { method, headers: { accept: "application/json" } };
  const token = auth ? accessToken() : "";
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new PageError({ key: "networkError", params: { detail: err.message }, code: "network_error" });
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
  if (!response.ok) throw failure(response, data, scope);
  return data;
}

// A file from the API (an export): fetched with the access token, then handed to the browser as a download
// under the name the API gives in Content-Disposition. Resolves with that name; a failed answer rejects like
// api() does.
export async function download(path, fallbackName) {
  const url = path.startsWith("/") ? BASE + path : path;
  const headers = {};
  const token = accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url, { headers });
  } catch (err) {
    throw new PageError({ key: "networkError", params: { detail: err.message }, code: "network_error" });
  }
  if (!response.ok) {
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    throw failure(response, data);
  }
  const blob = await response.blob();
  const given = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
  const name = given ? given[1] : fallbackName;
  const href = URL.createObjectURL(blob);
  const link = el("a", { href, download: name, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return name;
}

// The error of a failed answer: the common error body, or API Gateway's own `{"message": ...}` (its JWT
// authorizer's 401, throttling...), with the page's own words for the answers a user can act on.
function failure(response, data, scope) {
  const status = response.status;
  const body = data && typeof data === "object" && !Array.isArray(data) ? data : {};
  const common = typeof body.error_code === "string";
  const gatewayMessage = !common && typeof body.message === "string" ? body.message : undefined;
  const base = { status, body, gatewayMessage, code: common ? body.error_code : undefined,
    serverMessage: common ? body.message : undefined, details: common ? body.details : undefined, scope };
  if (status === 401) return new PageError({ ...base, key: accessToken() ? "tokenRejected" : "signIn" });
  if (!common) {
    return new PageError({ ...base, code: gatewayMessage ? undefined : "http_error", key: "httpStatusOnly",
      params: { status } });
  }
  if (body.error_code === "authentication_disabled") return new PageError({ ...base, key: "authDisabled" });
  if (body.error_code === "quota_exceeded") {
    const details = body.details && typeof body.details === "object" ? body.details : {};
    const seconds = retryAfterSeconds(response.headers.get("retry-after"), details.retry_after_s);
    const key = Number.isInteger(details.limit) ? "quotaLimit" : "quota";
    return new PageError({ ...base, details: undefined, key, params: { limit: details.limit, waitSeconds: seconds } });
  }
  return new PageError(base);
}

// Retry-After is delay-seconds or an HTTP date; the body's retry_after_s when the header is unreadable.
function retryAfterSeconds(header, fallback) {
  const value = (header || "").trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return Number.isFinite(fallback) ? Math.max(0, fallback) : null;
}

function waitText(seconds) {
  if (seconds === null || seconds === undefined) return t("waitSoon");
  if (seconds < 60) return fmt("waitSeconds", { s: seconds });
  return fmt("waitMinutes", { m: Math.floor(seconds / 60), s: seconds % 60 });
}

// ---- errors, in the current UI language -----------------------------------------------------------------
// Pydantic's error types (the `type` of each 422 detail) and the API's own value_error messages, by dictionary
// key. {n} is the first number in the API's English message (a limit), {options} its quoted choices.
const VALIDATION_TYPES = {
  missing: "v_missing", extra_forbidden: "v_extra", string_too_short: "v_stringTooShort",
  string_too_long: "v_stringTooLong", too_short: "v_tooShort", too_long: "v_tooLong",
  string_pattern_mismatch: "v_pattern", string_type: "v_string", int_type: "v_int", int_parsing: "v_int",
  int_from_float: "v_int", float_type: "v_number", float_parsing: "v_number", bool_type: "v_bool",
  list_type: "v_list", dict_type: "v_object", model_type: "v_object", model_attributes_type: "v_object",
  object_type: "v_object", greater_than_equal: "v_min", less_than_equal: "v_max", greater_than: "v_gt",
  less_than: "v_lt", literal_error: "v_oneOf", enum: "v_oneOf", json_invalid: "v_json",
};
const VALUE_ERRORS = {
  "a summary is required: give `summary` or `career_summary`": "v_summaryRequired",
  "give either `summary` or `career_summary`, not both": "v_summaryBoth",
  "give either `total_experience_months` or `years_experience`, not both": "v_experienceBoth",
  "unknown or unconfigured provider": "v_provider",
  "reused with different options": "v_idempotencyReuse",
};

function messageOf(err) {
  if (!(err instanceof PageError)) return fmt("unexpected", { detail: String((err && err.message) || err) });
  if (err.key) {
    const params = { ...err.params };
    if ("waitSeconds" in params) params.wait = waitText(params.waitSeconds);
    return fmt(err.key, params);
  }
  // The API's message is English; other languages use their own text for the error code when they have it
  // (the route family's own first), with the error's details as {placeholders}.
  if (err.code && lang() !== "en") {
    const scoped = err.scope ? `err_${err.scope}_${err.code}` : "";
    const key = scoped && hasText(scoped) ? scoped : `err_${err.code}`;
    if (hasText(key)) return fmt(key, { ...detailValues(err.details), ...err.params });
  }
  return err.serverMessage || t("taskFailed");
}

// The plain values of an object of details ({"limit_bytes": 4194304} -> {limit_bytes: 4194304}); sizes in bytes
// also as whole megabytes ({limit_mb: 4}).
function detailValues(details) {
  const values = {};
  if (!details || typeof details !== "object" || Array.isArray(details)) return values;
  for (const [name, value] of Object.entries(details)) {
    if (value === null || typeof value === "object") continue;
    values[name] = value;
    if (name.endsWith("_bytes") && Number.isFinite(value)) {
      values[name.replace(/_bytes$/, "_mb")] = Math.round((value / (1024 * 1024)) * 10) / 10;
    }
  }
  return values;
}

// "work_experiences[0].achievements[1]" for ["body", "work_experiences", 0, "achievements", 1]; nothing for
// ["body"] (a rule about the body as a whole).
function fieldPath(loc) {
  if (!Array.isArray(loc)) return "";
  const parts = loc[0] === "body" ? loc.slice(1) : loc;
  return parts.reduce((path, part) => (typeof part === "number" ? `${path}[${part}]`
    : `${path ? `${path}.` : ""}${part}`), "");
}

function validationText(detail) {
  const msg = String(detail.msg || "");
  if (lang() === "en") return msg;
  const key = detail.type === "value_error" ? VALUE_ERRORS[msg] : VALIDATION_TYPES[detail.type];
  if (!key || !hasText(key)) return fmt("v_other", { msg });
  const number = (msg.match(/\d[\d,]*/) || [""])[0].replace(/,/g, "");
  const options = [...msg.matchAll(/'([^']*)'/g)].map((match) => match[1]).join(", ");
  return fmt(key, { n: number, options });
}

// 422 details are a list; providers_exhausted has {"attempts": [...]}; anything else is shown as it is.
function detailList(details) {
  if (Array.isArray(details)) return details;
  if (details && typeof details === "object") return Array.isArray(details.attempts) ? details.attempts : [details];
  return details === undefined || details === null ? [] : [details];
}

function describeDetail(detail) {
  if (detail && typeof detail === "object") {
    if (Array.isArray(detail.loc) || detail.msg) {
      const where = fieldPath(detail.loc);
      return where ? `${where}: ${validationText(detail)}` : validationText(detail);
    }
    // An attempt of providers_exhausted (kinds and numbers only): "openai · gpt-x · server_error · 120 ms".
    if (typeof detail.provider === "string" && typeof detail.outcome === "string") {
      return [detail.provider, detail.model, detail.error_kind || detail.outcome,
        Number.isFinite(detail.latency_ms) ? `${detail.latency_ms} ms` : null].filter(Boolean).join(" · ");
    }
    return Object.entries(detail)
      .filter(([, value]) => value !== null && typeof value !== "object")
      .map(([name, value]) => `${name}=${value}`).join(", ");
  }
  return String(detail);
}

// The error as the page shows it: a message, the facts (code, status, request id) and the details.
export function describeError(err) {
  const facts = [];
  const details = [];
  if (err instanceof PageError) {
    if (err.code) facts.push(err.code);
    if (err.status) facts.push(`${t("httpStatus")} ${err.status}`);
    if (err.body && err.body.request_id) facts.push(`${t("requestId")} ${err.body.request_id}`);
    if (err.gatewayMessage) facts.push(`${t("gateway")}: ${err.gatewayMessage}`);
    for (const detail of detailList(err.details)) details.push(describeDetail(detail));
  } else {
    facts.push("client_error");
  }
  return { message: messageOf(err), facts, details };
}

// Fills an error box (class "error") with `err`, or empties and hides it when `err` is null.
export function renderError(box, err) {
  clear(box);
  box.hidden = !err;
  if (!err) return;
  const { message, facts, details } = describeError(err);
  box.appendChild(el("strong", { testid: "error-message", text: message }));
  if (facts.length) box.appendChild(el("div", { testid: "error-code", className: "muted", text: facts.join(" · ") }));
  if (details.length) {
    const list = el("ul", { testid: "error-details" });
    for (const detail of details) list.appendChild(el("li", { text: detail }));
    box.appendChild(list);
  }
}

// ---- actions: what a button does, with its error shown next to it -----------------------------------------
// action(name, {buttons, anchor, stale, run}) wires `buttons` to `run(button)`. While an action runs, every
// button is disabled. When one starts, every action's earlier error goes away and the `stale` functions
// clear what an earlier run left on screen (its result), so an old result never sits beside a new error.
// When `run` throws, the error appears in a box right after `anchor` (default: the button's .row) with
// data-testid "error-<name>", and the page scrolls to it. Returns the starter, for buttons made later.
const actions = [];
let busy = false;

export function action(name, { buttons, anchor, stale = [], run }) {
  const first = buttons[0];
  const box = el("div", { className: "error", testid: `error-${name}`, hidden: true });
  box.setAttribute("role", "alert");
  (anchor || first.closest(".row") || first).after(box);
  const entry = { name, box, error: null };
  actions.push(entry);

  async function start(trigger) {
    if (busy) return;
    busy = true;
    setButtonsEnabled(false);
    for (const other of actions) showActionError(other, null);
    for (const clearStale of stale) clearStale();
    try {
      await run(trigger);
    } catch (err) {
      showActionError(entry, err);
      entry.box.scrollIntoView({ block: "nearest" });
      log(`${(err && err.code) || "error"}: ${describeError(err).message}`);
    } finally {
      busy = false;
      setButtonsEnabled(true);
    }
  }

  for (const button of buttons) button.addEventListener("click", () => start(button));
  return start;
}

function showActionError(entry, err) {
  entry.error = err;
  renderError(entry.box, err);
  emit("action-error", { name: entry.name, error: err });
}

function setButtonsEnabled(enabled) {
  for (const button of document.querySelectorAll("button")) button.disabled = !enabled;
}

// Errors on screen follow the UI language too.
onLanguageChange(() => {
  for (const entry of actions) if (entry.error) renderError(entry.box, entry.error);
});

// ---- the shared strings: errors and validation messages --------------------------------------------------
addStrings({
  en: {
    networkError: "The request could not be sent: {detail}", unexpected: "Something went wrong in the page: {detail}",
    httpStatus: "HTTP status", httpStatusOnly: "HTTP status {status}", requestId: "request id", gateway: "API Gateway",
    taskFailed: "The task failed",
    signIn: "Sign-in needed: paste a valid access token",
    tokenRejected: "The access token was not accepted (expired, or from another issuer): paste a valid one",
    authDisabled: "Authentication is switched off on this deployment, so there is no list of your resumes: "
      + "load a resume by its key.",
    quota: "Generation limit reached: try again in {wait}.",
    quotaLimit: "Generation limit reached ({limit} per hour): try again in {wait}.",
    waitSeconds: "{s} s", waitMinutes: "{m} min {s} s", waitSoon: "a moment",
  },
  ko: {
    networkError: "요청을 보내지 못했습니다: {detail}", unexpected: "페이지에서 문제가 생겼습니다: {detail}",
    httpStatus: "HTTP 상태", httpStatusOnly: "HTTP 상태 {status}", requestId: "요청 ID", gateway: "API Gateway",
    taskFailed: "작업이 실패했습니다",
    signIn: "로그인이 필요합니다: 유효한 액세스 토큰을 붙여넣으세요",
    tokenRejected: "액세스 토큰이 거부되었습니다 (만료되었거나 다른 발급자의 토큰): 유효한 토큰을 붙여넣으세요",
    authDisabled: "이 배포는 인증이 꺼져 있어 내 이력서 목록이 없습니다: 키로 이력서를 불러오세요.",
    quota: "생성 한도에 도달했습니다: {wait} 후에 다시 시도하세요.",
    quotaLimit: "생성 한도(시간당 {limit}회)에 도달했습니다: {wait} 후에 다시 시도하세요.",
    waitSeconds: "{s}초", waitMinutes: "{m}분 {s}초", waitSoon: "잠시",
    // The API's error codes (its messages are English).
    err_malformed_json: "요청 본문이 올바른 JSON이 아닙니다.",
    err_validation_error: "요청에 올바르지 않은 항목이 있습니다.",
    err_not_found: "찾을 수 없습니다.",
    err_resume_not_found: "이 키의 이력서가 없습니다.",
    err_resume_deleted: "생성하는 동안 이력서가 삭제되어 아무것도 저장하지 않았습니다.",
    err_generation_not_found: "이 이력서로 아직 생성된 결과가 없습니다.",
    err_task_not_found: "이 ID의 작업이 없습니다.",
    err_method_not_allowed: "이 리소스에서 허용되지 않는 메서드입니다.",
    err_submit_in_progress: "같은 요청이 아직 처리 중입니다. 잠시 후 다시 시도하세요.",
    err_payload_too_large: "요청 본문이 너무 큽니다.",
    err_unsupported_media_type: "요청 본문은 application/json으로 보내야 합니다.",
    err_database_unavailable: "데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요.",
    err_providers_exhausted: "모든 AI 제공자가 실패했거나 시간이 부족했습니다. 잠시 후 다시 시도하세요.",
    err_service_unavailable: "서비스가 의존하는 구성 요소를 쓸 수 없습니다. 잠시 후 다시 시도하세요.",
    err_internal_error: "서버 내부 오류가 발생했습니다.",
    err_task_failed: "작업이 실패했습니다.",
    err_bad_request: "잘못된 요청입니다.",
    err_conflict: "요청이 리소스의 현재 상태와 충돌합니다.",
    err_forbidden: "이 작업을 할 권한이 없습니다.",
    err_limit_exceeded: "사용 한도에 도달했습니다.",
    // 422 details, by pydantic error type.
    v_missing: "필수 항목입니다.", v_extra: "허용되지 않는 항목입니다 (알 수 없는 필드).",
    v_stringTooShort: "최소 {n}자 이상이어야 합니다.", v_stringTooLong: "최대 {n}자까지 입력할 수 있습니다.",
    v_tooShort: "최소 {n}개 이상이어야 합니다.", v_tooLong: "최대 {n}개까지 넣을 수 있습니다.",
    v_pattern: "형식이 올바르지 않습니다.", v_string: "문자열이어야 합니다.", v_int: "정수여야 합니다.",
    v_number: "숫자여야 합니다.", v_bool: "true 또는 false여야 합니다.", v_list: "목록(배열)이어야 합니다.",
    v_object: "객체여야 합니다.", v_min: "{n} 이상이어야 합니다.", v_max: "{n} 이하여야 합니다.",
    v_gt: "{n}보다 커야 합니다.", v_lt: "{n}보다 작아야 합니다.", v_oneOf: "다음 중 하나여야 합니다: {options}",
    v_json: "올바른 JSON이 아닙니다.",
    v_summaryRequired: "요약이 필요합니다: summary 또는 career_summary를 입력하세요.",
    v_summaryBoth: "summary와 career_summary 중 하나만 입력하세요.",
    v_experienceBoth: "total_experience_months와 years_experience 중 하나만 입력하세요.",
    v_provider: "알 수 없거나 설정되지 않은 제공자입니다.",
    v_idempotencyReuse: "같은 Idempotency-Key가 다른 옵션으로 다시 쓰였습니다.",
    v_other: "값이 올바르지 않습니다: {msg}",
  },
});
