// The Generate card: options (count, language, provider, job description), sync and async runs, progress over
// the WebSocket or by polling, and the event log.
import {
  $, PARAMS, PageError, action, addStrings, api, clear, describeError, el, fmt, label, log, on,
  onLanguageChange, setI18nText, socketUrl, t,
} from "./core.js";
import { clearResult, renderPartial, renderResult } from "./results.js";

const WS_ENABLED = PARAMS.get("ws") !== "off";
const POLL_MS = 1000;
const WS_OPEN_TIMEOUT_MS = 5000;
const MAX_JOB_DESCRIPTION = 10000;

const KINDS = {
  interview: {
    prefix: "/api/v1/interview",
    sync: (key) => `/api/v1/interview/${encodeURIComponent(key)}/questions`,
    async: (key) => `/api/v1/interview/async/${encodeURIComponent(key)}/questions`,
  },
  learning: {
    prefix: "/api/v1/learning",
    sync: (key) => `/api/v1/learning/${encodeURIComponent(key)}/learning-path`,
    async: (key) => `/api/v1/learning/async/${encodeURIComponent(key)}/learning-path`,
  },
};

addStrings({
  en: {
    genHeading: "2. Generate", kindInterview: "Interview questions", kindLearning: "Learning path",
    count: "Questions (1-10)", genLanguage: "Output language", auto: "auto", provider: "Provider",
    jobDescription: "Job description (optional)", runSync: "Run (sync)", runAsync: "Run (async)",
    eventLog: "Event log",
    provider_offline: "offline (built-in generator)",
    providersLoading: "Reading the configured providers…",
    providersOrder: "auto tries them in this order: {order}",
    providersNone: "No provider is configured: only auto is offered.",
    providersUnavailable: "The configured providers could not be read ({facts}): only auto is offered.",
    retry: "Retry",
    needResume: "Create or load a resume first.", countRange: "Questions must be a whole number from 1 to 10.",
    jdTooLong: "The job description is longer than 10,000 characters.",
    submitted: "Task submitted", wsOpen: "WebSocket open, subscribed",
    wsFailed: "WebSocket unavailable: falling back to polling", wsOff: "WebSocket disabled (?ws=off): polling",
    wsRefused: "The WebSocket connection was refused (with authentication on, usually a missing, expired or "
      + "invalid access token): following the task by polling instead.",
    polling: "polling", websocket: "WebSocket", done: "Completed", sending: "Sending request",
    syncDone: "Generated (sync)",
    stage_queued: "Queued", stage_loading_resume: "Loading the resume", stage_building_prompt: "Building the prompt",
    stage_calling_llm: "Calling the model", stage_validating: "Checking the result", stage_saved: "Saved",
    stage_failed: "Failed",
  },
  ko: {
    genHeading: "2. 생성", kindInterview: "면접 질문", kindLearning: "학습 경로", count: "질문 수 (1-10)",
    genLanguage: "출력 언어", auto: "자동", provider: "제공자", jobDescription: "채용 공고 (선택)",
    runSync: "실행 (동기)", runAsync: "실행 (비동기)", eventLog: "이벤트 기록",
    provider_offline: "offline (내장 생성기)",
    providersLoading: "설정된 제공자를 확인하는 중…",
    providersOrder: "자동은 이 순서로 시도합니다: {order}",
    providersNone: "설정된 제공자가 없어 자동만 선택할 수 있습니다.",
    providersUnavailable: "설정된 제공자를 확인하지 못했습니다 ({facts}): 자동만 선택할 수 있습니다.",
    retry: "다시 시도",
    needResume: "먼저 이력서를 생성하거나 불러오세요.", countRange: "질문 수는 1에서 10 사이의 정수여야 합니다.",
    jdTooLong: "채용 공고는 10,000자를 넘을 수 없습니다.",
    submitted: "작업을 제출했습니다", wsOpen: "WebSocket 연결, 구독함",
    wsFailed: "WebSocket을 쓸 수 없어 폴링으로 전환합니다", wsOff: "WebSocket 끔 (?ws=off): 폴링",
    wsRefused: "WebSocket 연결이 거부되었습니다 (인증이 켜져 있으면 대개 액세스 토큰이 없거나 만료되었거나 잘못된 "
      + "경우): 대신 폴링으로 작업을 확인합니다.",
    polling: "폴링", websocket: "WebSocket", done: "완료", sending: "요청을 보내는 중", syncDone: "생성 완료 (동기)",
    stage_queued: "대기 중", stage_loading_resume: "이력서 불러오는 중", stage_building_prompt: "프롬프트 작성 중",
    stage_calling_llm: "모델 호출 중", stage_validating: "결과 검증 중", stage_saved: "저장 완료", stage_failed: "실패",
  },
});

let resume = null;  // the current resume, as the Resume card announces it
let run = 0;        // the current run; a tracker of an earlier run stops applying updates

// ---- progress --------------------------------------------------------------------------------------------------
function setProgress(progress, stage, channel) {
  const value = Math.max(0, Math.min(100, Number(progress) || 0));
  $("progress").value = value;
  $("progress").dataset.value = String(value);
  $("progress-value").textContent = String(value);
  $("stage").textContent = stage ? label("stage_", stage) : "";
  $("stage").dataset.stage = stage || "";
  if (channel !== undefined) {
    $("channel").textContent = channel ? `(${t(channel)})` : "";
    $("channel").dataset.channel = channel || "";
  }
}

// What an earlier run left on screen: its result, progress and channel note.
function clearRun() {
  run += 1;
  clearResult();
  setProgress(0, "", null);
  $("channel-note").hidden = true;
}

// ---- providers: the ones the generating function has configured, from its health endpoint ----------------------
// kind -> {loading} | {list} (provider ids in fallback order) | {error}; absent: not asked yet.
const providers = {};

function currentKind() {
  const checked = document.querySelector('input[name="kind"]:checked');
  return checked && checked.value === "learning" ? "learning" : "interview";
}

async function loadProviders(kind) {
  providers[kind] = { loading: true };
  renderProviders();
  try {
    // Health is public (it holds no data): no token goes with it.
    const health = await api("GET", `${KINDS[kind].prefix}/health`, undefined, { auth: false });
    const listed = health && Array.isArray(health.providers) ? health.providers : [];
    providers[kind] = { list: listed.filter((name) => typeof name === "string" && name) };
  } catch (err) {
    providers[kind] = { error: err };
  }
  renderProviders();
}

function renderProviders() {
  const known = providers[currentKind()] || { loading: true };
  const list = known.list || [];
  const select = $("opt-provider");
  const chosen = select.value;
  clear(select);
  select.appendChild(el("option", { value: "auto", text: t("auto") }));
  for (const name of list) select.appendChild(el("option", { value: name, text: label("provider_", name) }));
  select.value = list.includes(chosen) ? chosen : "auto";
  select.dataset.state = known.loading ? "loading" : known.error ? "error" : "ready";

  const hint = $("providers-hint");
  const note = $("providers-note");
  clear(note);
  hint.hidden = Boolean(known.error);
  note.hidden = !known.error;
  if (known.error) {
    const facts = describeError(known.error).facts.join(" · ");
    const retry = el("button", { type: "button", className: "link", testid: "providers-retry", text: t("retry") });
    retry.addEventListener("click", () => loadProviders(currentKind()));
    note.append(fmt("providersUnavailable", { facts }), " ", retry);
  } else if (known.loading) {
    hint.textContent = t("providersLoading");
  } else {
    hint.textContent = list.length ? fmt("providersOrder", { order: list.join(" → ") }) : t("providersNone");
  }
}

function kindChanged() {
  $("opt-count").disabled = currentKind() !== "interview";
  if (providers[currentKind()] === undefined || providers[currentKind()].error) loadProviders(currentKind());
  else renderProviders();
}

// ---- the request ----------------------------------------------------------------------------------------------
function requireResume() {
  if (!resume) throw PageError.check("needResume", {}, "no_resume");
  return resume.unique_key;
}

// The options as the API takes them, checked first: nothing is clamped or dropped silently.
function options(kind) {
  const body = {};
  if (kind === "interview") {
    const raw = $("opt-count").value.trim();
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 10) throw PageError.check("countRange");
    body.count = Number(raw);
  }
  const language = $("opt-language").value;
  if (language === "ko" || language === "en") body.language = language;
  const provider = $("opt-provider").value;
  if (provider && provider !== "auto") body.provider = provider;
  const jd = $("opt-jd").value.trim();
  if (jd.length > MAX_JOB_DESCRIPTION) throw PageError.check("jdTooLong");
  if (jd) body.job_description = jd;
  return body;
}

async function runSync() {
  const key = requireResume();
  const kind = currentKind();
  const body = options(kind);
  log(`${t("sending")}: POST ${KINDS[kind].sync(key)}`);
  const result = await api("POST", KINDS[kind].sync(key), body);
  setProgress(100, "saved", null);
  log(t("syncDone"));
  renderResult(kind, result);
}

async function runAsync() {
  const key = requireResume();
  const kind = currentKind();
  const body = options(kind);
  log(`${t("sending")}: POST ${KINDS[kind].async(key)}`);
  const task = await api("POST", KINDS[kind].async(key), body);
  setProgress(0, "queued", null);
  log(`${t("submitted")}: ${task.task_id}`);
  const snapshot = await track(task, kind);
  const result = snapshot.result || await api("GET", KINDS[kind].sync(key));
  renderResult(kind, result);
}

// Follows a task to its end: WebSocket pushes when possible, polling progress_url otherwise. Resolves with the
// final snapshot; rejects with the task's error.
function track(task, kind) {
  const mine = run;
  return new Promise((resolve, reject) => {
    let finished = false;
    let polling = false;
    let socket = null;
    let opened = false;
    let openTimer = null;

    function finish(snapshot) {
      if (finished) return;
      finished = true;
      if (openTimer) clearTimeout(openTimer);
      if (socket) { try { socket.close(); } catch (_) { /* already closed */ } }
      if (snapshot.status === "failed") {
        setProgress(snapshot.progress, "failed");
        const error = snapshot.error || {};
        reject(new PageError({ code: error.code || "task_failed", serverMessage: error.message || t("taskFailed") }));
      } else {
        log(`${t("done")}: ${snapshot.task_id || task.task_id}`);
        resolve(snapshot);
      }
    }

    function apply(snapshot, channel) {
      if (finished || mine !== run) return;
      setProgress(snapshot.progress, snapshot.stage, channel);
      const items = snapshot.partial ? ` (${snapshot.partial.done}/${snapshot.partial.total})` : "";
      log(`[${t(channel)}] ${snapshot.status} ${snapshot.progress}% ${label("stage_", snapshot.stage)}${items}`);
      // Items of a fanned-out generation, shown as they arrive (pushed as "partial", or seen when polling).
      if (snapshot.partial && snapshot.status === "running") renderPartial(kind, snapshot.partial);
      if (snapshot.status === "succeeded" || snapshot.status === "failed") finish(snapshot);
    }

    // Falls back to polling; `note` is a dictionary key shown beside the progress bar, not only logged.
    function startPolling(reason, note) {
      if (finished || polling) return;
      polling = true;
      if (openTimer) clearTimeout(openTimer);
      if (reason) log(reason);
      if (note) {
        setI18nText($("channel-note"), note);
        $("channel-note").hidden = false;
      }
      setProgress($("progress").value, $("stage").dataset.stage, "polling");
      const tick = async () => {
        if (finished || mine !== run) return;
        try {
          apply(await api("GET", task.progress_url), "polling");
        } catch (err) {
          finished = true;
          reject(err);
          return;
        }
        if (!finished) setTimeout(tick, POLL_MS);
      };
      tick();
    }

    if (!WS_ENABLED) return startPolling(t("wsOff"));
    if (!task.websocket_url) return startPolling(t("wsFailed"), "wsFailed");
    try {
      socket = new WebSocket(socketUrl(task.websocket_url));
    } catch (err) {
      // err.name only: the message quotes the URL, and with it the token.
      return startPolling(`${t("wsFailed")} (${err.name})`, "wsFailed");
    }
    // A handshake the server refuses (no or a bad token) reaches the page as error + close before open.
    const lost = () => {
      const why = opened ? "wsFailed" : "wsRefused";
      startPolling(t(why), why);
    };
    openTimer = setTimeout(() => startPolling(t("wsFailed"), "wsFailed"), WS_OPEN_TIMEOUT_MS);
    socket.addEventListener("open", () => {
      opened = true;
      clearTimeout(openTimer);
      openTimer = null;
      if (polling) return;
      socket.send(JSON.stringify({ action: "subscribe", task_id: task.task_id }));
      setProgress($("progress").value, $("stage").dataset.stage, "websocket");
      log(t("wsOpen"));
    });
    socket.addEventListener("message", (event) => {
      if (polling) return;
      let message;
      try { message = JSON.parse(event.data); } catch (_) { return; }
      if (["progress", "partial", "completed", "failed"].includes(message.type)) {
        apply(message, "websocket");
      } else if (message.type === "error") {
        startPolling(`${t("wsFailed")} (${message.error_code || "error"})`, "wsFailed");
      }
    });
    socket.addEventListener("error", lost);
    socket.addEventListener("close", () => { if (!finished) lost(); });
  });
}

// ---- wiring ---------------------------------------------------------------------------------------------------
export function initGenerate() {
  const generate = action("generate", { buttons: [$("run-sync"), $("run-async")], stale: [clearRun],
    run: (button) => (button === $("run-async") ? runAsync() : runSync()) });
  // Another card asks for a run on the current resume (the Import card, once its resume is saved): this
  // card's own options and sync flow, with the card in view so its progress and errors are seen.
  on("generate", (kind) => {
    const wanted = kind === "learning" ? "learning" : "interview";
    document.querySelector(`input[name="kind"][value="${wanted}"]`).checked = true;
    kindChanged();
    $("gen-heading").scrollIntoView({ block: "start" });
    generate($("run-sync"));
  });
  for (const radio of document.querySelectorAll('input[name="kind"]')) radio.addEventListener("change", kindChanged);
  on("resume", (current) => {
    resume = current;
    clearRun();
  });
  onLanguageChange(() => {
    const stage = $("stage").dataset.stage;
    if (stage) $("stage").textContent = label("stage_", stage);
    const channel = $("channel").dataset.channel;
    if (channel) $("channel").textContent = `(${t(channel)})`;
    renderProviders();
  });
  kindChanged();
}
