// The Import card: a resume file (PDF, Word .docx, text or Markdown), chosen with the file input or dropped on
// it, goes to POST /api/v1/resumes/import?dry_run=true; the extracted resume comes back as editable JSON with
// the import report (and a note when a fallback structured it). Saving uses the Resume card's own create flow
// (POST /api/v1/resumes), and the Generate card's question flow takes it from there.
//
// The file goes as multipart/form-data with one part named `file`, not as the raw body: a browser types a File
// from the operating system's table of extensions, which often has nothing for .md (or .docx) and then says
// "" or application/octet-stream. In a form part the route falls back to the file name's extension for such a
// type, while a raw body with that type would be refused with 415. FormData also carries the file name, and it
// is what `curl -F file=@resume.pdf` sends, so the page exercises the same path as the README's example.
import {
  $, PageError, action, addStrings, api, clear, el, emit, fmt, label, log, onLanguageChange, t,
} from "./core.js";
import { createResume, forgetResume, parseResumeJson } from "./resume.js";
import { renderDegraded } from "./results.js";

const IMPORT_PATH = "/api/v1/resumes/import?dry_run=true";

addStrings({
  en: {
    importHeading: "1. Resume from a file",
    importHint: "PDF, Word (.docx), text or Markdown. Contact details (email, phone, links, your name) are "
      + "found on the server and never sent to an AI provider. Scans cannot be read: no text recognition (OCR).",
    importFile: "Resume file", importDropHint: "or drop it on this box", importRead: "Read the file",
    importJsonLabel: "Extracted resume (JSON): check and edit it, then save", importSave: "Save this resume",
    importQuestions: "Generate interview questions", importNeedFile: "Choose a file first.",
    importDropOne: "Drop one file at a time.",
    importRead_log: "File read (dry run, nothing stored)", importFallback_log: "fallback", importSaved: "Saved: {key}. Next: interview questions.",
    reportHeading: "Import report", r_source_type: "Source", r_pages: "Pages", r_characters: "Characters",
    r_language: "Language", r_extracted_by: "Extracted by", r_redacted: "Kept from the AI",
    r_missing: "Not found", r_warnings: "Warnings", r_none: "none", r_nothing: "nothing",
    src_pdf: "PDF", src_docx: "Word (.docx)", src_text: "text", src_markdown: "Markdown",
    by_offline: "offline (built-in extractor, no AI)",
    red_emails: "emails", red_phones: "phones", red_links: "links", red_name: "name",
    red_dropped_lines: "contact lines left out",
    // The import route's errors, by code (English shows the API's own message).
    err_import_payload_too_large: "The file is larger than the limit of {limit_mb} MB.",
  },
  ko: {
    importHeading: "1. 파일에서 이력서 가져오기",
    importHint: "PDF, Word(.docx), 텍스트 또는 Markdown 파일. 연락처(이메일, 전화번호, 링크, 이름)는 서버에서 "
      + "찾아 따로 보관하며 AI 제공자에게 보내지 않습니다. 스캔본은 읽을 수 없습니다 (문자 인식(OCR) 미지원).",
    importFile: "이력서 파일", importDropHint: "또는 이 상자에 끌어다 놓으세요", importRead: "파일 읽기",
    importJsonLabel: "추출한 이력서 (JSON): 확인하고 고친 뒤 저장하세요", importSave: "이 이력서 저장",
    importQuestions: "면접 질문 생성", importNeedFile: "먼저 파일을 선택하세요.",
    importDropOne: "파일은 한 번에 하나만 놓으세요.",
    importRead_log: "파일을 읽었습니다 (미리보기, 저장 안 함)", importFallback_log: "대체 응답", importSaved: "저장했습니다: {key}. 다음: 면접 질문.",
    reportHeading: "가져오기 보고서", r_source_type: "형식", r_pages: "쪽 수", r_characters: "글자 수",
    r_language: "언어", r_extracted_by: "추출", r_redacted: "AI에 보내지 않은 개인정보",
    r_missing: "찾지 못한 항목", r_warnings: "경고", r_none: "없음", r_nothing: "없음",
    src_pdf: "PDF", src_docx: "Word (.docx)", src_text: "텍스트", src_markdown: "Markdown",
    by_offline: "offline (내장 추출기, AI 없음)",
    red_emails: "이메일", red_phones: "전화번호", red_links: "링크", red_name: "이름",
    red_dropped_lines: "제외한 연락처 줄",
    err_import_payload_too_large: "파일이 크기 한도 {limit_mb} MB를 넘습니다.",
    err_import_unsupported_media_type: "PDF, Word(.docx), UTF-8 텍스트(.txt) 또는 Markdown(.md) 파일만 가져올 수 "
      + "있습니다.",
    err_no_text_layer: "PDF에 텍스트 층이 없습니다 (스캔본이나 페이지 사진으로 보입니다). 문자 인식(OCR)은 지원하지 "
      + "않습니다: 텍스트 PDF나 Word 파일로 내보내거나 텍스트를 붙여넣으세요.",
    err_encrypted_document: "암호로 보호된 문서입니다. 암호 없이 사본을 저장해 보내세요.",
    err_unreadable_document: "문서를 읽을 수 없습니다. 손상되었거나 파일 형식이 이름과 다를 수 있습니다.",
    err_too_little_text: "이력서로 보기에는 텍스트가 너무 적습니다 ({characters}자, 최소 {minimum}자 필요).",
    err_too_many_pages: "문서가 {pages}쪽입니다. 이력서는 최대 {limit}쪽까지 가져올 수 있습니다.",
  },
});

let file = null;     // the file chosen or dropped
let report = null;   // the report of the latest dry run, re-rendered when the UI language changes
let saved = null;    // the resume saved from it

// ---- the dry run ---------------------------------------------------------------------------------------------
function clearPreview() {
  report = null;
  $("import-preview").hidden = true;
  clear($("import-report"));
  $("import-json").value = "";
  clearSaved();
}

function clearSaved() {
  saved = null;
  $("import-next").hidden = true;
  $("import-saved").textContent = "";
}

// `files`: what was just chosen or dropped; none (the Read button) reads the file chosen last again.
async function readFile(files) {
  if (files && files.length > 1) throw PageError.check("importDropOne", {}, "too_many_files");
  if (files && files.length) file = files[0];
  if (!file) throw PageError.check("importNeedFile", {}, "no_file");
  const form = new FormData();
  form.append("file", file, file.name);
  const input = $("import-file");
  input.disabled = true;  // action() disables the buttons; a new choice must not start a second read meanwhile
  let answer;
  try {
    log(`POST ${IMPORT_PATH} (${file.size} B)`);  // not the file's name: it often holds the person's name
    answer = await api("POST", IMPORT_PATH, form, { scope: "import" });
  } finally {
    input.disabled = false;
  }
  report = answer.import_report || {};
  $("import-json").value = JSON.stringify(answer.resume || {}, null, 2);
  renderReport();
  $("import-preview").hidden = false;
  const fallback = report.degraded ? ` (${t("importFallback_log")}: ${report.fallback_reason || "?"})` : "";
  log(`${t("importRead_log")}: ${report.source_type}, ${report.extracted_by}${fallback}`);
}

function renderReport() {
  const box = $("import-report");
  clear(box);
  if (!report) return;
  const list = el("dl", { className: "report" });
  const row = (name, value) => {
    list.append(el("dt", { text: t(`r_${name}`) }), el("dd", { testid: `report-${name.replace(/_/g, "-")}` }, value));
  };
  row("source_type", label("src_", report.source_type));
  row("pages", String(report.pages ?? ""));
  row("characters", String(report.characters ?? ""));
  row("language", String(report.language || ""));
  row("extracted_by", `${label("by_", report.extracted_by)}${report.model ? ` · ${report.model}` : ""}`);
  const redacted = Object.entries(report.redacted || {}).filter(([, count]) => count > 0);
  row("redacted", redacted.length ? redacted.map(([kind, count]) => `${label("red_", kind)} ${count}`).join(" · ")
    : t("r_nothing"));
  row("missing", itemsOrNone(report.missing, "report-missing-field", "r_nothing"));
  row("warnings", itemsOrNone(report.warnings, "report-warning", "r_none"));
  box.append(el("h3", { text: t("reportHeading") }));
  // A fallback structured the text: say so first (the same note as a degraded generation result).
  if (report.degraded) {
    box.append(renderDegraded({
      provider: report.extracted_by, fallback_reason: report.fallback_reason, attempts: report.attempts,
    }));
  }
  box.append(list);
}

function itemsOrNone(items, testid, none) {
  if (!Array.isArray(items) || !items.length) return t(none);
  const list = el("ul", {});
  for (const item of items) list.append(el("li", { testid, text: String(item) }));
  return list;
}

// ---- save, then questions -----------------------------------------------------------------------------------
async function save() {
  saved = await createResume(parseResumeJson($("import-json").value));
  showSaved();
}

function showSaved() {
  if (!saved) return;
  $("import-saved").textContent = fmt("importSaved", { key: saved.unique_key });
  $("import-next").hidden = false;
}

// ---- wiring: choosing a file reads it; dropping one on the box is a shortcut for the file input ---------------
export function initImport() {
  const read = action("import", {
    buttons: [$("import-read")], stale: [clearPreview], run: (trigger) => readFile(trigger && trigger.files),
  });
  action("import-save", { buttons: [$("import-save")], stale: [forgetResume, clearSaved], run: save });
  const input = $("import-file");
  input.addEventListener("change", () => {
    if (!input.files.length) {  // the dialog was cancelled: nothing is chosen now
      file = null;
      return;
    }
    read({ files: input.files });
  });

  // A dropped file is shown in the input too (when the browser allows setting it), then read.
  const zone = $("import-drop");
  const over = (event) => {
    if (!event.dataTransfer || !Array.from(event.dataTransfer.types || []).includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragover");
  };
  zone.addEventListener("dragenter", over);
  zone.addEventListener("dragover", over);
  zone.addEventListener("dragleave", () => zone.classList.remove("dragover"));
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("dragover");
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    const files = event.dataTransfer.files;
    if (files.length === 1) {
      try { input.files = files; } catch (_) { /* an old browser: the name is not shown, the file is still read */ }
    }
    read({ files });
  });

  // The Generate card runs the question flow on the saved resume (the current one).
  $("import-questions").addEventListener("click", () => emit("generate", "interview"));
  onLanguageChange(() => {
    renderReport();
    showSaved();
  });
}
