// careercoach /test page: the entry module. Each card is a module with an init function and its own strings;
// core.js holds what they share (UI text, DOM helpers, the API client, errors shown next to their action).
// To add a card: write its markup in page.html (a <section class="card">), a module beside this one that
// calls addStrings({en, ko}) and wires its buttons with action(...), and call its init below. The Lambda
// serves every file in static/ by name, so a new module needs no other change.
import { initAccess } from "./access.js";
import { $, addStrings, applyLanguage, lang, missingStrings, setLanguage } from "./core.js";
import { initExports } from "./exports.js";
import { initGenerate } from "./generate.js";
import { initImport } from "./importing.js";
import { initPractice } from "./practice.js";
import { initResume } from "./resume.js";
import "./results.js";

addStrings({
  en: { title: "careercoach test page", docs: "API docs (Swagger UI):", uiLanguage: "UI language" },
  ko: { title: "careercoach 테스트 페이지", docs: "API 문서 (Swagger UI):", uiLanguage: "화면 언어" },
});

function init() {
  initAccess();
  initResume();
  initImport();
  initGenerate();
  initPractice();
  initExports();
  $("ui-lang").value = lang();
  $("ui-lang").addEventListener("change", () => setLanguage($("ui-lang").value));
  applyLanguage();
  document.body.dataset.i18nMissing = missingStrings().join(" ");
  document.body.dataset.ready = "true";
}

// Module scripts run once the document is parsed.
init();
