// careercoach /test page. Every piece of user or model text is inserted with textContent, createTextNode or
// element properties: never innerHTML, outerHTML, insertAdjacentHTML or document.write.
"use strict";

(function () {
  // ---- where the API is: relative to this page, so an API Gateway stage prefix (/dev/test) just works --------
  const BASE = location.pathname.replace(/\/test\/?$/, "");
  const PARAMS = new URLSearchParams(location.search);
  const WS_ENABLED = PARAMS.get("ws") !== "off";
  const POLL_MS = 1000;
  const WS_OPEN_TIMEOUT_MS = 5000;
  const LIST_LIMIT = 10;
  // The access token lives in this tab's sessionStorage only: never localStorage, never the page's URL, never
  // the event log. It leaves the page only as the Authorization header and the WebSocket's `token` parameter.
  const TOKEN_KEY = "careercoach.accessToken";

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

  // ---- the three sample resumes (events/resumes/create-rich.json, create-rich-en.json, create-short.json) ---
  const SAMPLES = {
    richKo: {"name": "김개발", "contact": {"email": "kim.dev@example.com", "phone": "010-1234-5678", "github": "https://github.com/kimdev-example"}, "summary": "3년차 백엔드 개발자. Spring Boot 기반 MSA 커머스 플랫폼의 주문/결제 도메인을 설계·운영했고, Redis 캐싱과 Kafka 이벤트 처리로 성능과 안정성을 개선했습니다.", "total_experience_months": 38, "work_experiences": [{"company": "오픈마켓 스타트업", "position": "백엔드 개발자", "duration": "2022.09 ~ 현재", "project_name": "주문/결제 마이크로서비스 전환", "project_description": "모놀리식 커머스 서버를 주문, 결제, 재고 서비스로 분리", "tech_stack": ["Java", "Spring Boot", "MySQL", "Redis", "Kafka", "AWS EC2", "Docker"], "achievements": ["Saga 패턴으로 주문-결제-재고 간 분산 트랜잭션 정합성 확보", "Redis 캐싱으로 상품 조회 API p95 응답시간 420ms에서 180ms로 단축", "Kafka 컨슈머 재처리와 DLQ 도입으로 결제 이벤트 유실 0건 달성"], "team_size": 6}], "personal_projects": [{"name": "실시간 중고거래 채팅", "description": "WebSocket 기반 1:1 채팅과 읽음 처리", "tech_stack": ["Spring Boot", "WebSocket", "PostgreSQL", "Docker"], "key_achievements": ["동시 접속 1,000명 부하 테스트 통과"]}], "technical_skills": {"programming_languages": ["Java", "Python"], "frameworks": ["Spring Boot", "Spring Data JPA"], "databases": ["MySQL", "PostgreSQL"], "message_queue_caching": ["Kafka", "Redis"], "cloud_platforms": ["AWS"], "devops_tools": ["Docker", "GitHub Actions"]}, "certifications": [{"name": "정보처리기사", "issuer": "한국산업인력공단", "issue_date": "2021.11"}], "education": [{"institution": "한국대학교", "degree": "학사", "major": "컴퓨터공학", "period": "2016.03 ~ 2022.02", "status": "졸업"}]},
    richEn: {"name": "Alex Morgan", "contact": {"email": "alex.morgan@example.org", "linkedin": "https://www.linkedin.com/in/alex-morgan-example"}, "summary": "Frontend engineer with 5 years building React and TypeScript web apps; led the migration of a design system to accessible components and cut bundle size by a third.", "total_experience_months": 62, "work_experiences": [{"company": "Northwind Travel", "position": "Senior Frontend Engineer", "duration": "2021.03 ~ present", "project_name": "Booking flow rewrite", "tech_stack": ["React", "TypeScript", "Next.js", "GraphQL", "Playwright"], "achievements": ["Rewrote the checkout flow with server components; conversion up 7%", "Introduced visual regression tests; production UI incidents down 40%", "Made the design system meet WCAG 2.1 AA"], "team_size": 8}], "technical_skills": {"programming_languages": ["TypeScript", "JavaScript"], "frameworks": ["React", "Next.js"], "others": ["GraphQL", "Web accessibility", "Webpack", "Vite"]}},
    short: {"career_summary": "3년차 백엔드 개발자, Spring Boot/MSA/Python 기반 커머스 서비스 개발, AWS EC2 운영 경험", "job_roles": ["백엔드 개발자"], "tech_skills": ["Spring Boot", "MSA", "Python", "AWS EC2"], "years_experience": 3}
  };

  // ---- UI text --------------------------------------------------------------------------------------------
  const I18N = {
    en: {
      title: "careercoach test page", docs: "API docs (Swagger UI):", uiLanguage: "UI language",
      resumeHeading: "1. Resume", samples: "Samples:", sampleRichKo: "Korean (rich)",
      sampleRichEn: "English (rich)", sampleShort: "Short form", jsonLabel: "Resume JSON (paste or load a sample)",
      createJson: "Create from JSON", formToggle: "…or fill in a short form", fName: "Name",
      fYears: "Years of experience", fSummary: "Summary", fSkills: "Skills (comma-separated)",
      fCompany: "Company", fPosition: "Position", fAchievement: "One achievement", createForm: "Create from form",
      loadKey: "Load by key", load: "Load", uniqueKey: "unique_key", name: "Name", language: "Language",
      genHeading: "2. Generate", kindInterview: "Interview questions", kindLearning: "Learning path",
      count: "Questions (1-10)", genLanguage: "Output language", auto: "auto", provider: "Provider",
      jobDescription: "Job description (optional)", runSync: "Run (sync)", runAsync: "Run (async)",
      eventLog: "Event log", resultHeading: "3. Result", noResult: "Nothing generated yet.",
      providerLabel: "Provider", model: "Model", tokens: "Tokens (in / out)", cost: "Cost (USD)",
      promptVersion: "Prompt version", intent: "Intent", source: "Source", keyPoints: "Key points",
      followUps: "Follow-up questions", details: "Key points and follow-ups", weeks: "weeks", why: "Why",
      actions: "Actions", milestone: "Milestone", resources: "Resources", strengths: "Strengths", gaps: "Gaps",
      summaryLabel: "Summary", totalWeeks: "Total", steps: "Steps", questions: "Questions",
      needResume: "Create or load a resume first.", badJson: "The resume JSON is not valid JSON",
      needSummary: "A summary is required.", networkError: "The request could not be sent",
      requestId: "request id", httpStatus: "HTTP status", taskFailed: "The task failed",
      created: "Resume created", loaded: "Resume loaded", submitted: "Task submitted",
      wsOpen: "WebSocket open, subscribed", wsFailed: "WebSocket unavailable: falling back to polling",
      wsOff: "WebSocket disabled (?ws=off): polling", polling: "polling", websocket: "WebSocket",
      done: "Completed", sending: "Sending request", syncDone: "Generated (sync)", notAvailable: "n/a",
      stage_queued: "Queued", stage_loading_resume: "Loading the resume", stage_building_prompt: "Building the prompt",
      stage_calling_llm: "Calling the model", stage_validating: "Checking the result", stage_saved: "Saved",
      stage_failed: "Failed",
      cat_technical: "Technical", cat_project_deep_dive: "Project deep dive", cat_system_design: "System design",
      cat_problem_solving: "Problem solving", cat_behavioral: "Behavioral", cat_collaboration: "Collaboration",
      type_deepen_strength: "Deepen a strength", type_close_gap: "Close a gap", type_project: "Project",
      type_communication: "Communication",
      diff_easy: "easy", diff_medium: "medium", diff_hard: "hard",
      prio_high: "high priority", prio_medium: "medium priority", prio_low: "low priority",
      accessHeading: "Access", tokenLabel: "Access token (optional)", forgetToken: "Forget",
      tokenUnset: "No token: requests are sent without Authorization",
      tokenSet: "Token set: sent as Authorization: Bearer",
      tokenHint: "Needed when the API has authentication on. Kept in this tab only (sessionStorage), never in "
        + "the address bar or the event log.",
      signIn: "Sign-in needed: paste a valid access token",
      tokenRejected: "The access token was not accepted (expired, or from another issuer): paste a valid one",
      gateway: "API Gateway",
      authDisabled: "Authentication is switched off on this deployment, so there is no list of your resumes: "
        + "load a resume by its key.",
      quota: "Generation limit reached: try again in {wait}.",
      quotaLimit: "Generation limit reached ({limit} per hour): try again in {wait}.",
      waitSeconds: "{s} s", waitMinutes: "{m} min {s} s", waitSoon: "a moment",
      myResumes: "My resumes", more: "More", noResumes: "No resumes yet.", unnamed: "(no name)",
      listed: "Resumes listed", picked: "Resume picked",
      wsRefused: "The WebSocket connection was refused (with authentication on, usually a missing, expired or "
        + "invalid access token): following the task by polling instead.",
    },
    ko: {
      title: "careercoach 테스트 페이지", docs: "API 문서 (Swagger UI):", uiLanguage: "화면 언어",
      resumeHeading: "1. 이력서", samples: "샘플:", sampleRichKo: "한국어 (상세)", sampleRichEn: "영어 (상세)",
      sampleShort: "간단 양식", jsonLabel: "이력서 JSON (붙여넣거나 샘플을 불러오세요)", createJson: "JSON으로 생성",
      formToggle: "…또는 간단한 양식 작성", fName: "이름", fYears: "경력 (년)", fSummary: "요약",
      fSkills: "기술 (쉼표로 구분)", fCompany: "회사", fPosition: "직무", fAchievement: "성과 한 가지",
      createForm: "양식으로 생성", loadKey: "키로 불러오기", load: "불러오기", uniqueKey: "unique_key",
      name: "이름", language: "언어", genHeading: "2. 생성", kindInterview: "면접 질문", kindLearning: "학습 경로",
      count: "질문 수 (1-10)", genLanguage: "출력 언어", auto: "자동", provider: "제공자",
      jobDescription: "채용 공고 (선택)", runSync: "실행 (동기)", runAsync: "실행 (비동기)", eventLog: "이벤트 기록",
      resultHeading: "3. 결과", noResult: "아직 생성된 결과가 없습니다.", providerLabel: "제공자", model: "모델",
      tokens: "토큰 (입력 / 출력)", cost: "비용 (USD)", promptVersion: "프롬프트 버전", intent: "질문 의도",
      source: "출처", keyPoints: "답변 핵심", followUps: "꼬리 질문", details: "답변 핵심과 꼬리 질문", weeks: "주",
      why: "이유", actions: "할 일", milestone: "완료 기준", resources: "자료", strengths: "강점", gaps: "보완점",
      summaryLabel: "요약", totalWeeks: "전체", steps: "단계", questions: "질문",
      needResume: "먼저 이력서를 생성하거나 불러오세요.", badJson: "이력서 JSON 형식이 올바르지 않습니다",
      needSummary: "요약은 필수입니다.", networkError: "요청을 보내지 못했습니다", requestId: "요청 ID",
      httpStatus: "HTTP 상태", taskFailed: "작업이 실패했습니다", created: "이력서를 생성했습니다",
      loaded: "이력서를 불러왔습니다", submitted: "작업을 제출했습니다", wsOpen: "WebSocket 연결, 구독함",
      wsFailed: "WebSocket을 쓸 수 없어 폴링으로 전환합니다", wsOff: "WebSocket 끔 (?ws=off): 폴링",
      polling: "폴링", websocket: "WebSocket", done: "완료", sending: "요청을 보내는 중", syncDone: "생성 완료 (동기)",
      notAvailable: "없음",
      stage_queued: "대기 중", stage_loading_resume: "이력서 불러오는 중", stage_building_prompt: "프롬프트 작성 중",
      stage_calling_llm: "모델 호출 중", stage_validating: "결과 검증 중", stage_saved: "저장 완료", stage_failed: "실패",
      cat_technical: "기술", cat_project_deep_dive: "프로젝트 심층", cat_system_design: "시스템 설계",
      cat_problem_solving: "문제 해결", cat_behavioral: "인성", cat_collaboration: "협업",
      type_deepen_strength: "강점 심화", type_close_gap: "보완", type_project: "프로젝트", type_communication: "소통",
      diff_easy: "쉬움", diff_medium: "보통", diff_hard: "어려움",
      prio_high: "우선순위 높음", prio_medium: "우선순위 보통", prio_low: "우선순위 낮음",
      accessHeading: "인증", tokenLabel: "액세스 토큰 (선택)", forgetToken: "지우기",
      tokenUnset: "토큰 없음: Authorization 없이 요청합니다", tokenSet: "토큰 설정됨: Authorization: Bearer로 보냅니다",
      tokenHint: "API에 인증이 켜져 있을 때 필요합니다. 이 탭에만 보관하며 (sessionStorage) 주소창이나 이벤트 기록에는 "
        + "남기지 않습니다.",
      signIn: "로그인이 필요합니다: 유효한 액세스 토큰을 붙여넣으세요",
      tokenRejected: "액세스 토큰이 거부되었습니다 (만료되었거나 다른 발급자의 토큰): 유효한 토큰을 붙여넣으세요",
      gateway: "API Gateway",
      authDisabled: "이 배포는 인증이 꺼져 있어 내 이력서 목록이 없습니다: 키로 이력서를 불러오세요.",
      quota: "생성 한도에 도달했습니다: {wait} 후에 다시 시도하세요.",
      quotaLimit: "생성 한도(시간당 {limit}회)에 도달했습니다: {wait} 후에 다시 시도하세요.",
      waitSeconds: "{s}초", waitMinutes: "{m}분 {s}초", waitSoon: "잠시",
      myResumes: "내 이력서", more: "더 보기", noResumes: "아직 이력서가 없습니다.", unnamed: "(이름 없음)",
      listed: "이력서 목록을 불러왔습니다", picked: "이력서를 선택했습니다",
      wsRefused: "WebSocket 연결이 거부되었습니다 (인증이 켜져 있으면 대개 액세스 토큰이 없거나 만료되었거나 잘못된 "
        + "경우): 대신 폴링으로 작업을 확인합니다.",
    },
  };

  let uiLang = (navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
  if (PARAMS.get("lang") === "ko" || PARAMS.get("lang") === "en") uiLang = PARAMS.get("lang");

  function t(key) {
    const table = I18N[uiLang];
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : (I18N.en[key] || key);
  }
  // A dictionary string with {name} placeholders filled in.
  function fmt(key, values) {
    return t(key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }
  // A label for a machine value (stage, category...): the dictionary's, else the value itself.
  function label(prefix, value) {
    const key = prefix + value;
    return Object.prototype.hasOwnProperty.call(I18N[uiLang], key) ? I18N[uiLang][key] : String(value);
  }

  // ---- DOM helpers: text only ------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
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

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Dictionary text that follows the UI language (applyLanguage re-translates every [data-i18n]).
  function setI18nText(node, key) {
    node.dataset.i18n = key;
    node.textContent = t(key);
  }

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  // ---- state -----------------------------------------------------------------------------------------------
  const state = { resume: null, result: null, resultKind: null, busy: false, run: 0, cursor: null };

  // ---- access token --------------------------------------------------------------------------------------
  function readStoredToken() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (_) { return ""; }
  }

  function storeToken(token) {
    try {
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch (_) { /* storage unavailable: the token lives in the field only */ }
  }

  // The field's token; a pasted "Bearer " prefix and line breaks are dropped (a JWT has no whitespace).
  function accessToken() {
    return $("access-token").value.trim().replace(/^bearer\s+/i, "").replace(/\s+/g, "");
  }

  function tokenChanged() {
    storeToken(accessToken());
    setI18nText($("token-state"), accessToken() ? "tokenSet" : "tokenUnset");
    $("access-token").classList.remove("attention");
    $("access-token").removeAttribute("aria-invalid");
    resetResumeList(true);  // the list belonged to the previous token's user
  }

  // The task's WebSocket address with the token as the `token` query parameter (a browser cannot set headers
  // on a WebSocket).
  function socketUrl(address) {
    const token = accessToken();
    if (!token) return address;
    const url = new URL(address, location.href);
    url.search = `${url.search ? `${url.search}&` : "?"}token=${encodeURIComponent(token)}`;
    return url.toString();
  }

  // ---- event log, error box, progress --------------------------------------------------------------------
  function log(message) {
    const time = new Date().toISOString().slice(11, 23);
    const item = el("li", { testid: "log-entry" }, el("time", { text: time }), " ", String(message));
    const list = $("event-log");
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function hideError() {
    const box = $("error");
    clear(box);
    box.hidden = true;
  }

  function showError(error) {
    const box = $("error");
    clear(box);
    box.appendChild(el("strong", { testid: "error-message", text: error.message || t("taskFailed") }));
    const facts = [];
    if (error.error_code) facts.push(error.error_code);
    if (error.status) facts.push(`${t("httpStatus")} ${error.status}`);
    if (error.request_id) facts.push(`${t("requestId")} ${error.request_id}`);
    if (error.gateway_message) facts.push(`${t("gateway")}: ${error.gateway_message}`);
    if (facts.length) box.appendChild(el("div", { testid: "error-code", className: "muted", text: facts.join(" · ") }));
    if (Array.isArray(error.details) && error.details.length) {
      const list = el("ul", { testid: "error-details" });
      for (const detail of error.details) list.appendChild(el("li", { text: describeDetail(detail) }));
      box.appendChild(list);
    }
    box.hidden = false;
    if (error.status === 401) {
      $("access-token").classList.add("attention");
      $("access-token").setAttribute("aria-invalid", "true");
    }
    log(`${error.error_code || "error"}: ${error.message || ""}`);
  }

  function describeDetail(detail) {
    if (detail && typeof detail === "object") {
      if (Array.isArray(detail.loc) || detail.msg) {
        const where = Array.isArray(detail.loc) ? detail.loc.join(".") : "";
        return where ? `${where}: ${detail.msg || ""}` : String(detail.msg || "");
      }
      // Attempt summaries of providers_exhausted: kinds and numbers only.
      return Object.entries(detail)
        .filter(([, value]) => value !== null && typeof value !== "object")
        .map(([name, value]) => `${name}=${value}`).join(", ");
    }
    return String(detail);
  }

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

  // ---- HTTP ------------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(body, status) {
      super(body.message || "");
      Object.assign(this, body);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const url = path.startsWith("/") ? BASE + path : path;
    const init = { method, headers: { accept: "application/json" } };
    const token = accessToken();
    if (token) init.headers.authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      throw new ApiError({ error_code: "network_error", message: `${t("networkError")}: ${err.message}` }, 0);
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (!response.ok) throw failure(response, data);
    return data;
  }

  // The error of a failed answer: the common error body, or API Gateway's own `{"message": ...}` (its JWT
  // authorizer's 401, throttling...), with readable text for the answers a user can act on.
  function failure(response, data) {
    const status = response.status;
    const body = data && typeof data === "object" && !Array.isArray(data) ? data : {};
    const common = typeof body.error_code === "string";
    const gateway = !common && typeof body.message === "string" ? body.message : undefined;
    if (status === 401) {
      const message = t(accessToken() ? "tokenRejected" : "signIn");
      return new ApiError(common ? { ...body, message } : { message, gateway_message: gateway }, status);
    }
    if (!common) {
      return new ApiError({ error_code: gateway ? undefined : "http_error", message: `${t("httpStatus")} ${status}`,
        gateway_message: gateway }, status);
    }
    if (body.error_code === "authentication_disabled") {
      return new ApiError({ ...body, message: t("authDisabled") }, status);
    }
    if (body.error_code === "quota_exceeded") {
      const details = body.details && typeof body.details === "object" ? body.details : {};
      const wait = waitText(retryAfterSeconds(response.headers.get("retry-after"), details.retry_after_s));
      const message = Number.isInteger(details.limit) ? fmt("quotaLimit", { limit: details.limit, wait })
        : fmt("quota", { wait });
      return new ApiError({ ...body, details: undefined, message }, status);
    }
    return new ApiError(body, status);
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
    if (seconds === null) return t("waitSoon");
    if (seconds < 60) return fmt("waitSeconds", { s: seconds });
    return fmt("waitMinutes", { m: Math.floor(seconds / 60), s: seconds % 60 });
  }

  async function guarded(action) {
    if (state.busy) return;
    state.busy = true;
    setButtons(false);
    hideError();
    try {
      await action();
    } catch (err) {
      showError(err instanceof ApiError ? err : { error_code: "client_error", message: String(err && err.message || err) });
    } finally {
      state.busy = false;
      setButtons(true);
    }
  }

  function setButtons(enabled) {
    for (const button of document.querySelectorAll("button")) button.disabled = !enabled;
  }

  // ---- resume ----------------------------------------------------------------------------------------------
  function showResume(resume) {
    state.resume = resume;
    $("current-resume").hidden = false;
    $("unique-key").textContent = resume.unique_key;
    $("resume-name").textContent = resume.name || "—";
    $("resume-language").textContent = resume.language || "";
    $("resume-summary").textContent = resume.summary || "";
    $("load-key").value = resume.unique_key;
  }

  async function createResume(payload) {
    const resume = await api("POST", "/api/v1/resumes", payload);
    showResume(resume);
    log(`${t("created")}: ${resume.unique_key}`);
  }

  function createFromJson() {
    return guarded(async () => {
      let payload;
      try {
        payload = JSON.parse($("resume-json").value);
      } catch (err) {
        throw new ApiError({ error_code: "malformed_json", message: `${t("badJson")}: ${err.message}` }, 0);
      }
      await createResume(payload);
    });
  }

  function createFromForm() {
    return guarded(async () => {
      const value = (id) => $(id).value.trim();
      const summary = value("f-summary");
      if (!summary) throw new ApiError({ error_code: "validation_error", message: t("needSummary") }, 0);
      const payload = { summary };
      if (value("f-name")) payload.name = value("f-name");
      if (value("f-years")) payload.years_experience = Number(value("f-years"));
      const skills = value("f-skills").split(",").map((s) => s.trim()).filter(Boolean);
      if (skills.length) payload.tech_skills = skills;
      if (value("f-company")) {
        const experience = { company: value("f-company") };
        if (value("f-position")) experience.position = value("f-position");
        if (value("f-achievement")) experience.achievements = [value("f-achievement")];
        payload.work_experiences = [experience];
      }
      await createResume(payload);
    });
  }

  function loadByKey() {
    return guarded(async () => {
      const key = $("load-key").value.trim();
      if (!key) throw new ApiError({ error_code: "validation_error", message: t("needResume") }, 0);
      const resume = await api("GET", `/api/v1/resumes/${encodeURIComponent(key)}`);
      showResume(resume);
      log(`${t("loaded")}: ${resume.unique_key}`);
    });
  }

  // ---- my resumes: GET /api/v1/resumes, the caller's own, newest first --------------------------------------
  function resetResumeList(hide) {
    clear($("resume-list"));
    state.cursor = null;
    $("resumes-more").hidden = true;
    $("resumes-note").hidden = true;
    if (hide) $("my-resumes").hidden = true;
  }

  function showListNote(key) {
    setI18nText($("resumes-note"), key);
    $("resumes-note").hidden = false;
  }

  function listResumes(more) {
    return guarded(async () => {
      let path = `/api/v1/resumes?limit=${LIST_LIMIT}`;
      if (more && state.cursor) path += `&cursor=${encodeURIComponent(state.cursor)}`;
      else resetResumeList(false);
      $("my-resumes").hidden = false;
      let page;
      try {
        page = await api("GET", path);
      } catch (err) {
        // Authentication off: no list exists (everyone is the same anonymous owner). A note, not an error.
        if (err instanceof ApiError && err.error_code === "authentication_disabled") {
          showListNote("authDisabled");
          return;
        }
        throw err;
      }
      const items = Array.isArray(page && page.items) ? page.items : [];
      for (const item of items) $("resume-list").appendChild(resumeEntry(item));
      state.cursor = page && typeof page.next_cursor === "string" && page.next_cursor ? page.next_cursor : null;
      $("resumes-more").hidden = !state.cursor;
      if (!$("resume-list").firstChild) showListNote("noResumes");
      log(`${t("listed")}: ${items.length}`);
    });
  }

  function resumeEntry(item) {
    const key = String(item.unique_key || "");
    const pick = el("button", { type: "button", className: "link", testid: "resume-pick" });
    if (item.name) pick.textContent = String(item.name);
    else setI18nText(pick, "unnamed");
    pick.dataset.key = key;
    pick.addEventListener("click", () => pickResume(key));
    const when = typeof item.updated_at === "string" ? item.updated_at.replace("T", " ").slice(0, 16) : "";
    return el("li", { testid: "resume-entry" }, pick, " ",
      item.language ? el("span", { className: "badge", text: item.language }) : null,
      el("code", { testid: "resume-entry-key", text: key }), " ",
      el("span", { className: "muted", text: when }));
  }

  function pickResume(key) {
    return guarded(async () => {
      const resume = await api("GET", `/api/v1/resumes/${encodeURIComponent(key)}`);
      showResume(resume);
      log(`${t("picked")}: ${resume.unique_key}`);
    });
  }

  // ---- generation ------------------------------------------------------------------------------------------
  function currentKind() {
    const checked = document.querySelector('input[name="kind"]:checked');
    return checked && checked.value === "learning" ? "learning" : "interview";
  }

  function options(kind) {
    const body = {};
    if (kind === "interview") body.count = Math.max(1, Math.min(10, parseInt($("opt-count").value, 10) || 5));
    const language = $("opt-language").value;
    if (language === "ko" || language === "en") body.language = language;
    const provider = $("opt-provider").value.trim();
    if (provider && provider !== "auto") body.provider = provider;
    const jd = $("opt-jd").value.trim();
    if (jd) body.job_description = jd;
    return body;
  }

  function requireResume() {
    if (!state.resume) throw new ApiError({ error_code: "no_resume", message: t("needResume") }, 0);
    return state.resume.unique_key;
  }

  function runSync() {
    return guarded(async () => {
      const key = requireResume();
      const kind = currentKind();
      setProgress(0, "", null);
      log(`${t("sending")}: POST ${KINDS[kind].sync(key)}`);
      const result = await api("POST", KINDS[kind].sync(key), options(kind));
      setProgress(100, "saved", null);
      log(t("syncDone"));
      renderResult(kind, result);
    });
  }

  function runAsync() {
    return guarded(async () => {
      const key = requireResume();
      const kind = currentKind();
      setProgress(0, "", null);
      log(`${t("sending")}: POST ${KINDS[kind].async(key)}`);
      const task = await api("POST", KINDS[kind].async(key), options(kind));
      setProgress(0, "queued", null);
      log(`${t("submitted")}: ${task.task_id}`);
      const snapshot = await track(kind, task);
      let result = snapshot.result;
      if (!result) result = await api("GET", KINDS[kind].sync(key));
      renderResult(kind, result);
    });
  }

  // Follows a task to its end: WebSocket pushes when possible, polling progress_url otherwise. Resolves with the
  // final snapshot; rejects with the task's error.
  function track(kind, task) {
    const run = ++state.run;
    return new Promise((resolve, reject) => {
      let finished = false;
      let polling = false;
      let socket = null;
      let opened = false;
      let openTimer = null;
      $("channel-note").hidden = true;

      function finish(snapshot) {
        if (finished) return;
        finished = true;
        if (openTimer) clearTimeout(openTimer);
        if (socket) { try { socket.close(); } catch (_) { /* already closed */ } }
        if (snapshot.status === "failed") {
          setProgress(snapshot.progress, "failed");
          const error = snapshot.error || {};
          reject(new ApiError({ error_code: error.code || "task_failed", message: error.message || t("taskFailed") }, 0));
        } else {
          log(`${t("done")}: ${snapshot.task_id || task.task_id}`);
          resolve(snapshot);
        }
      }

      function apply(snapshot, channel) {
        if (finished || run !== state.run) return;
        setProgress(snapshot.progress, snapshot.stage, channel);
        log(`[${t(channel)}] ${snapshot.status} ${snapshot.progress}% ${label("stage_", snapshot.stage)}`);
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
        const url = task.progress_url;
        const tick = async () => {
          if (finished || run !== state.run) return;
          try {
            apply(await api("GET", url), "polling");
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
        if (message.type === "progress" || message.type === "completed" || message.type === "failed") {
          apply(message, "websocket");
        } else if (message.type === "error") {
          startPolling(`${t("wsFailed")} (${message.error_code || "error"})`, "wsFailed");
        }
      });
      socket.addEventListener("error", lost);
      socket.addEventListener("close", () => { if (!finished) lost(); });
    });
  }

  // ---- results ---------------------------------------------------------------------------------------------
  function renderResult(kind, result) {
    state.result = result;
    state.resultKind = kind;
    const box = $("results");
    clear(box);
    if (!result) {
      box.appendChild(el("p", { className: "muted", text: t("noResult") }));
      return;
    }
    box.appendChild(renderMeta(result));
    if (kind === "interview") box.appendChild(renderQuestions(result.questions || []));
    else box.appendChild(renderLearningPath(result));
  }

  function renderMeta(result) {
    const usage = result.usage || {};
    const cost = typeof usage.cost_usd === "number" ? `$${usage.cost_usd.toFixed(6)}` : t("notAvailable");
    const item = (name, value, testid) => el("span", { testid }, `${t(name)}: `, el("strong", { text: value }));
    return el("div", { className: "meta", testid: "result-meta" },
      item("providerLabel", result.provider || "", "result-provider"),
      item("model", result.model || t("notAvailable"), "result-model"),
      item("tokens", `${usage.input_tokens ?? 0} / ${usage.output_tokens ?? 0}`, "result-tokens"),
      item("cost", cost, "result-cost"),
      item("promptVersion", result.prompt_version || "", "result-prompt-version"));
  }

  function renderQuestions(questions) {
    const list = el("div", { testid: "questions" }, el("h3", { text: `${t("questions")} (${questions.length})` }));
    for (const q of questions) {
      const grounding = q.grounding || {};
      const card = el("article", { className: "question", testid: "question-card" },
        el("div", {},
          el("span", { className: "badge", testid: "badge-category", text: label("cat_", q.category) }),
          el("span", { className: "badge difficulty", testid: "badge-difficulty", text: label("diff_", q.difficulty) }),
          el("span", { className: "muted", text: q.id || "" })),
        el("p", { className: "question-text", testid: "question-text", text: q.question }),
        el("p", {}, el("span", { className: "muted", text: `${t("intent")}: ` }), el("span", { testid: "question-intent", text: q.intent })),
        el("blockquote", { testid: "grounding" },
          el("span", { testid: "grounding-quote", text: grounding.quote || "" }),
          el("cite", { testid: "grounding-source", text: `${t("source")}: ${grounding.source || ""}` })),
        el("details", { testid: "question-details" },
          el("summary", { text: t("details") }),
          el("strong", { text: t("keyPoints") }),
          listOf(q.key_points, "key-point"),
          el("strong", { text: t("followUps") }),
          listOf(q.follow_ups, "follow-up")));
      list.appendChild(card);
    }
    return list;
  }

  function listOf(items, testid, ordered) {
    const list = el(ordered ? "ol" : "ul", {});
    for (const item of items || []) list.appendChild(el("li", { testid, text: item }));
    return list;
  }

  function renderLearningPath(path) {
    const wrap = el("div", { testid: "learning-path" });
    wrap.appendChild(el("h3", { text: t("summaryLabel") }));
    wrap.appendChild(el("p", { testid: "path-summary", className: "summary", text: path.summary || "" }));
    const analysis = path.analysis || {};
    const strengths = el("ul", { testid: "strengths" });
    for (const s of analysis.strengths || []) {
      strengths.appendChild(el("li", { testid: "strength" }, el("strong", { text: s.area }), " — ",
        el("q", { text: s.evidence })));
    }
    const gaps = el("ul", { testid: "gaps" });
    for (const g of analysis.gaps || []) {
      gaps.appendChild(el("li", { testid: "gap" }, el("strong", { text: g.area }), " — ", g.why || ""));
    }
    wrap.appendChild(el("div", { className: "analysis" },
      el("div", {}, el("h3", { text: t("strengths") }), strengths),
      el("div", {}, el("h3", { text: t("gaps") }), gaps)));
    const steps = path.steps || [];
    wrap.appendChild(el("h3", {
      text: `${t("steps")} (${steps.length}) · ${t("totalWeeks")} ${path.total_weeks} ${t("weeks")}`,
    }));
    const timeline = el("ol", { className: "timeline", testid: "timeline" });
    for (const step of steps) {
      const resources = el("ul", { testid: "resources" });
      for (const resource of step.resources || []) {
        const href = safeHref(resource.url);
        const title = `${resource.title || resource.id}${resource.kind ? ` (${resource.kind})` : ""}`;
        resources.appendChild(el("li", {}, href
          ? el("a", { testid: "resource-link", href, target: "_blank", rel: "noopener noreferrer", text: title })
          : el("span", { testid: "resource-text", text: title })));
      }
      timeline.appendChild(el("li", { className: "step", testid: "step" },
        el("div", {},
          el("span", { className: "badge", testid: "step-type", text: label("type_", step.type) }),
          el("span", { className: "badge priority", testid: "step-priority", text: label("prio_", step.priority) }),
          el("span", { className: "badge difficulty", testid: "step-weeks", text: `${step.estimated_weeks} ${t("weeks")}` })),
        el("h3", { testid: "step-title", text: `${step.order}. ${step.title}` }),
        el("p", {}, el("span", { className: "muted", text: `${t("why")}: ` }), step.why || ""),
        el("strong", { text: t("actions") }),
        listOf(step.actions, "step-action"),
        el("p", {}, el("span", { className: "muted", text: `${t("milestone")}: ` }),
          el("span", { testid: "step-milestone", text: step.milestone || "" })),
        el("strong", { text: t("resources") }),
        resources));
    }
    wrap.appendChild(timeline);
    return wrap;
  }

  // ---- language --------------------------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = uiLang;
    $("ui-lang").value = uiLang;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    const stage = $("stage").dataset.stage;
    if (stage) $("stage").textContent = label("stage_", stage);
    const channel = $("channel").dataset.channel;
    if (channel) $("channel").textContent = `(${t(channel)})`;
    if (state.result) renderResult(state.resultKind, state.result);
  }

  // ---- wiring ----------------------------------------------------------------------------------------------
  function init() {
    for (const button of document.querySelectorAll("[data-sample]")) {
      button.addEventListener("click", () => {
        $("resume-json").value = JSON.stringify(SAMPLES[button.dataset.sample], null, 2);
      });
    }
    $("create-resume").addEventListener("click", createFromJson);
    $("create-from-form").addEventListener("click", createFromForm);
    $("load-button").addEventListener("click", loadByKey);
    $("run-sync").addEventListener("click", runSync);
    $("run-async").addEventListener("click", runAsync);
    $("list-resumes").addEventListener("click", () => listResumes(false));
    $("resumes-more").addEventListener("click", () => listResumes(true));
    $("access-token").value = readStoredToken();
    $("access-token").addEventListener("input", tokenChanged);
    $("forget-token").addEventListener("click", () => {
      $("access-token").value = "";
      tokenChanged();
    });
    setI18nText($("token-state"), accessToken() ? "tokenSet" : "tokenUnset");
    $("ui-lang").addEventListener("change", () => {
      uiLang = $("ui-lang").value === "ko" ? "ko" : "en";
      applyLanguage();
    });
    for (const radio of document.querySelectorAll('input[name="kind"]')) {
      radio.addEventListener("change", () => { $("opt-count").disabled = currentKind() !== "interview"; });
    }
    applyLanguage();
    document.body.dataset.ready = "true";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
