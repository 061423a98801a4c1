// The Export card: the current resume's latest question set as Markdown and its latest learning path as an
// iCalendar file, starting on a chosen day. Each link is the API's own address (to copy, or to open directly
// when authentication is off); a click downloads the file with the access token, and an error (nothing
// generated yet, an unknown key, a refused token) appears next to the links.
import { $, PageError, action, addStrings, download, fmt, log, on } from "./core.js";

const EXPORTS = {
  markdown: {
    path: (key) => `/api/v1/interview/${encodeURIComponent(key)}/questions.md`,
    file: "interview-questions.md",
  },
  calendar: {
    path: (key, start) => `/api/v1/learning/${encodeURIComponent(key)}/learning-path.ics`
      + (start ? `?start=${encodeURIComponent(start)}` : ""),
    file: "learning-path.ics",
  },
};

addStrings({
  en: {
    exportHeading: "5. Export", exportHint: "The latest result of the current resume, as a file to keep.",
    exportMarkdown: "Interview questions (Markdown, .md)", exportCalendar: "Learning path (iCalendar, .ics)",
    exportStart: "Calendar starts on", exportStartHint: "Empty: the Monday after today.",
    exportNeedResume: "Create or load a resume first.", exportDone: "Downloaded {name}",
  },
  ko: {
    exportHeading: "5. 내보내기", exportHint: "현재 이력서의 최신 결과를 파일로 받습니다.",
    exportMarkdown: "면접 질문 (Markdown, .md)", exportCalendar: "학습 경로 (iCalendar, .ics)",
    exportStart: "캘린더 시작일", exportStartHint: "비워 두면 오늘 다음 월요일부터 시작합니다.",
    exportNeedResume: "먼저 이력서를 생성하거나 불러오세요.", exportDone: "{name} 파일을 받았습니다",
  },
});

let resume = null;  // the current resume, as the Resume card announces it

function address(kind) {
  if (!resume) return null;
  return EXPORTS[kind].path(resume.unique_key, $("export-start").value);
}

// The links follow the current resume and the chosen start day.
function updateLinks() {
  for (const kind of Object.keys(EXPORTS)) {
    const link = $(`export-${kind}`);
    const path = address(kind);
    if (path) {
      link.href = path.slice(1);  // relative to the page, so a stage prefix (/dev/test) is kept
      link.removeAttribute("aria-disabled");
    } else {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    }
  }
}

async function exportFile(link) {
  const kind = link.dataset.export;
  const path = address(kind);
  if (!path) throw PageError.check("exportNeedResume", {}, "no_resume");
  const name = await download(path, EXPORTS[kind].file);
  log(fmt("exportDone", { name }));
}

export function initExports() {
  const links = Object.keys(EXPORTS).map((kind) => $(`export-${kind}`));
  // The page downloads the file itself (with the token); the browser does not follow the link.
  for (const link of links) link.addEventListener("click", (event) => event.preventDefault());
  action("export", { buttons: links, anchor: $("export-links"), run: exportFile });
  $("export-start").addEventListener("input", updateLinks);
  on("resume", (current) => {
    resume = current;
    updateLinks();
  });
  updateLinks();
}
