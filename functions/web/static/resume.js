// The Resume card: load a sample, create from JSON or from the short form, load by key, list "my resumes".
// The current resume is announced with emit("resume", resume | null); other cards follow it. Creating a
// resume (createResume, parseResumeJson, forgetResume) is shared with the Import card.
import {
  $, PageError, action, addStrings, api, clear, el, emit, log, on, setI18nText, t,
} from "./core.js";

const LIST_LIMIT = 10;

addStrings({
  en: {
    resumeHeading: "1. Resume", samples: "Samples:", sampleRichKo: "Korean (rich)", sampleRichEn: "English (rich)",
    sampleShort: "Short form", jsonLabel: "Resume JSON (paste or load a sample)", createJson: "Create from JSON",
    formToggle: "…or fill in a short form", fName: "Name", fYears: "Years of experience", fSummary: "Summary",
    fSkills: "Skills (comma-separated)", fCompany: "Company", fPosition: "Position",
    fAchievement: "One achievement", createForm: "Create from form", loadKey: "Load by key", load: "Load",
    uniqueKey: "unique_key", name: "Name", language: "Language",
    myResumes: "My resumes", more: "More", noResumes: "No resumes yet.", unnamed: "(no name)",
    created: "Resume created", loaded: "Resume loaded", listed: "Resumes listed", picked: "Resume picked",
    sampleLoaded: "Sample loaded",
    // Checks made before sending.
    badJson: "The resume JSON is not valid JSON: {detail}", jsonNotObject: "The resume JSON must be an object ({…}).",
    needSummary: "A summary is required.", needKey: "Enter the key of a resume to load.",
    yearsRange: "Years of experience must be a number from 0 to 60.",
  },
  ko: {
    resumeHeading: "1. 이력서", samples: "샘플:", sampleRichKo: "한국어 (상세)", sampleRichEn: "영어 (상세)",
    sampleShort: "간단 양식", jsonLabel: "이력서 JSON (붙여넣거나 샘플을 불러오세요)", createJson: "JSON으로 생성",
    formToggle: "…또는 간단한 양식 작성", fName: "이름", fYears: "경력 (년)", fSummary: "요약",
    fSkills: "기술 (쉼표로 구분)", fCompany: "회사", fPosition: "직무", fAchievement: "성과 한 가지",
    createForm: "양식으로 생성", loadKey: "키로 불러오기", load: "불러오기", uniqueKey: "unique_key",
    name: "이름", language: "언어",
    myResumes: "내 이력서", more: "더 보기", noResumes: "아직 이력서가 없습니다.", unnamed: "(이름 없음)",
    created: "이력서를 생성했습니다", loaded: "이력서를 불러왔습니다", listed: "이력서 목록을 불러왔습니다",
    picked: "이력서를 선택했습니다", sampleLoaded: "샘플을 불러왔습니다",
    badJson: "이력서 JSON 형식이 올바르지 않습니다: {detail}", jsonNotObject: "이력서 JSON은 객체({…})여야 합니다.",
    needSummary: "요약은 필수입니다.", needKey: "불러올 이력서의 키를 입력하세요.",
    yearsRange: "경력은 0에서 60 사이의 숫자여야 합니다.",
  },
});

const samples = new Map();  // file name -> its text, fetched once

// ---- the current resume -----------------------------------------------------------------------------------
function showResume(resume) {
  $("current-resume").hidden = !resume;
  $("unique-key").textContent = resume ? resume.unique_key : "";
  $("resume-name").textContent = resume ? resume.name || "—" : "";
  $("resume-language").textContent = resume ? resume.language || "" : "";
  $("resume-summary").textContent = resume ? resume.summary || "" : "";
  if (resume) $("load-key").value = resume.unique_key;
  emit("resume", resume);
}

// Stale once another resume is asked for: the one shown, and everything made from it (other cards listen).
export function forgetResume() {
  showResume(null);
}

// POST /api/v1/resumes; the created resume becomes the current one. Resolves with it.
export async function createResume(payload) {
  const resume = await api("POST", "/api/v1/resumes", payload);
  showResume(resume);
  log(`${t("created")}: ${resume.unique_key}`);
  return resume;
}

// ---- samples: the repository's samples/*.json, served by this page's function ---------------------------------
async function loadSample(button) {
  const file = button.dataset.sample;
  if (!samples.has(file)) {
    const response = await api("GET", `/test/${encodeURIComponent(file)}`, undefined, { auth: false });
    samples.set(file, JSON.stringify(response, null, 2));
  }
  $("resume-json").value = samples.get(file);
  log(`${t("sampleLoaded")}: ${file}`);
}

// The resume in a JSON text (a textarea's value), checked before anything is sent.
export function parseResumeJson(text) {
  let payload;
  try {
    payload = JSON.parse(text);
  } catch (err) {
    throw PageError.check("badJson", { detail: err.message }, "malformed_json");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw PageError.check("jsonNotObject");
  return payload;
}

function formPayload() {
  const value = (id) => $(id).value.trim();
  const summary = value("f-summary");
  if (!summary) throw PageError.check("needSummary");
  const payload = { summary };
  if (value("f-name")) payload.name = value("f-name");
  if (value("f-years")) {
    const years = Number(value("f-years"));
    if (!Number.isFinite(years) || years < 0 || years > 60) throw PageError.check("yearsRange");
    payload.years_experience = years;
  }
  const skills = value("f-skills").split(",").map((s) => s.trim()).filter(Boolean);
  if (skills.length) payload.tech_skills = skills;
  if (value("f-company")) {
    const experience = { company: value("f-company") };
    if (value("f-position")) experience.position = value("f-position");
    if (value("f-achievement")) experience.achievements = [value("f-achievement")];
    payload.work_experiences = [experience];
  }
  return payload;
}

async function loadResume(key, logKey) {
  const resume = await api("GET", `/api/v1/resumes/${encodeURIComponent(key)}`);
  showResume(resume);
  log(`${t(logKey)}: ${resume.unique_key}`);
}

// ---- my resumes: GET /api/v1/resumes, the caller's own, newest first --------------------------------------
let cursor = null;
let pick = null;  // the "pick" action's starter, for entries made later

function resetResumeList(hide) {
  clear($("resume-list"));
  cursor = null;
  $("resumes-more").hidden = true;
  $("resumes-note").hidden = true;
  if (hide) $("my-resumes").hidden = true;
}

function showListNote(key) {
  setI18nText($("resumes-note"), key);
  $("resumes-note").hidden = false;
}

async function listResumes(more) {
  let path = `/api/v1/resumes?limit=${LIST_LIMIT}`;
  if (more && cursor) path += `&cursor=${encodeURIComponent(cursor)}`;
  else resetResumeList(false);
  $("my-resumes").hidden = false;
  let page;
  try {
    page = await api("GET", path);
  } catch (err) {
    // Authentication off: no list exists (everyone is the same anonymous owner). A note, not an error.
    if (err instanceof PageError && err.code === "authentication_disabled") {
      showListNote("authDisabled");
      return;
    }
    throw err;
  }
  const items = Array.isArray(page && page.items) ? page.items : [];
  for (const item of items) $("resume-list").appendChild(resumeEntry(item));
  cursor = page && typeof page.next_cursor === "string" && page.next_cursor ? page.next_cursor : null;
  $("resumes-more").hidden = !cursor;
  if (!$("resume-list").firstChild) showListNote("noResumes");
  log(`${t("listed")}: ${items.length}`);
}

function resumeEntry(item) {
  const key = String(item.unique_key || "");
  const button = el("button", { type: "button", className: "link", testid: "resume-pick" });
  if (item.name) button.textContent = String(item.name);
  else setI18nText(button, "unnamed");
  button.dataset.key = key;
  button.addEventListener("click", () => pick(button));
  const when = typeof item.updated_at === "string" ? item.updated_at.replace("T", " ").slice(0, 16) : "";
  return el("li", { testid: "resume-entry" }, button, " ",
    item.language ? el("span", { className: "badge", text: item.language }) : null,
    el("code", { testid: "resume-entry-key", text: key }), " ",
    el("span", { className: "muted", text: when }));
}

// ---- wiring ---------------------------------------------------------------------------------------------------
export function initResume() {
  action("samples", { buttons: [...document.querySelectorAll("[data-sample]")], run: loadSample });
  action("create-json", {
    buttons: [$("create-resume")],
    stale: [forgetResume],
    run: () => createResume(parseResumeJson($("resume-json").value)),
  });
  action("create-form", {
    buttons: [$("create-from-form")],
    stale: [forgetResume],
    run: () => createResume(formPayload()),
  });
  action("load", {
    buttons: [$("load-button")],
    stale: [forgetResume],
    run: () => {
      const key = $("load-key").value.trim();
      if (!key) throw PageError.check("needKey");
      return loadResume(key, "loaded");
    },
  });
  action("list", {
    buttons: [$("list-resumes"), $("resumes-more")],
    anchor: $("my-resumes"),
    run: (button) => listResumes(button === $("resumes-more")),
  });
  pick = action("pick", {
    buttons: [],
    anchor: $("my-resumes"),
    stale: [forgetResume],
    run: (button) => loadResume(button.dataset.key, "picked"),
  });
  on("token", () => resetResumeList(true));
}
