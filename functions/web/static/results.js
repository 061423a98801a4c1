// The Result card: question sets and learning paths rendered as structure (text only).
import { $, addStrings, clear, el, label, onLanguageChange, safeHref, t } from "./core.js";

addStrings({
  en: {
    resultHeading: "3. Result", noResult: "Nothing generated yet.",
    providerLabel: "Provider", model: "Model", tokens: "Tokens (in / out)", cost: "Cost (USD)",
    promptVersion: "Prompt version", intent: "Intent", source: "Source", keyPoints: "Key points",
    followUps: "Follow-up questions", details: "Key points and follow-ups", weeks: "weeks", why: "Why",
    actions: "Actions", milestone: "Milestone", resources: "Resources", strengths: "Strengths", gaps: "Gaps",
    summaryLabel: "Summary", totalWeeks: "Total", steps: "Steps", questions: "Questions", notAvailable: "n/a",
    cat_technical: "Technical", cat_project_deep_dive: "Project deep dive", cat_system_design: "System design",
    cat_problem_solving: "Problem solving", cat_behavioral: "Behavioral", cat_collaboration: "Collaboration",
    type_deepen_strength: "Deepen a strength", type_close_gap: "Close a gap", type_project: "Project",
    type_communication: "Communication",
    diff_easy: "easy", diff_medium: "medium", diff_hard: "hard",
    prio_high: "high priority", prio_medium: "medium priority", prio_low: "low priority",
    degraded: "Fallback answer: {first} did not answer ({reason}), so {provider} wrote this result.",
    degradedMessage: "{first} said: {message}",
    partialNote: "Written so far: {done} of {total}. The rest are still being written…",
    pendingQuestion: "Being written…",
  },
  ko: {
    resultHeading: "3. 결과", noResult: "아직 생성된 결과가 없습니다.", providerLabel: "제공자", model: "모델",
    tokens: "토큰 (입력 / 출력)", cost: "비용 (USD)", promptVersion: "프롬프트 버전", intent: "질문 의도",
    source: "출처", keyPoints: "답변 핵심", followUps: "꼬리 질문", details: "답변 핵심과 꼬리 질문", weeks: "주",
    why: "이유", actions: "할 일", milestone: "완료 기준", resources: "자료", strengths: "강점", gaps: "보완점",
    summaryLabel: "요약", totalWeeks: "전체", steps: "단계", questions: "질문", notAvailable: "없음",
    cat_technical: "기술", cat_project_deep_dive: "프로젝트 심층", cat_system_design: "시스템 설계",
    cat_problem_solving: "문제 해결", cat_behavioral: "인성", cat_collaboration: "협업",
    type_deepen_strength: "강점 심화", type_close_gap: "보완", type_project: "프로젝트", type_communication: "소통",
    diff_easy: "쉬움", diff_medium: "보통", diff_hard: "어려움",
    prio_high: "우선순위 높음", prio_medium: "우선순위 보통", prio_low: "우선순위 낮음",
    degraded: "대체 응답: {first} 제공자가 답하지 못해({reason}) {provider} 제공자가 이 결과를 만들었습니다.",
    degradedMessage: "{first} 응답: {message}",
    partialNote: "지금까지 {done}/{total}개 작성됨. 나머지를 작성하는 중…",
    pendingQuestion: "작성하는 중…",
  },
});

let shown = null;  // {kind, result} or {kind, partial}: re-rendered when the UI language changes

export function renderResult(kind, result) {
  shown = result ? { kind, result } : null;
  const box = $("results");
  clear(box);
  if (!result) {
    box.appendChild(el("p", { className: "muted", testid: "no-result", text: t("noResult") }));
    return;
  }
  box.appendChild(renderMeta(result));
  if (result.degraded) box.appendChild(renderDegraded(result));
  if (kind === "interview") box.appendChild(renderQuestions(result.questions || []));
  else box.appendChild(renderLearningPath(result));
}

// The result of an earlier run is stale once a new run starts or the resume changes.
export function clearResult() {
  renderResult(null, null);
}

// A fanned-out generation in progress: the items written so far, in their places, as the result will show
// them (`partial` of the task snapshot: total, done, items with null where still being written, and for a
// learning path the analysis, summary and total weeks the plan already fixes).
export function renderPartial(kind, partial) {
  if (!partial || !Array.isArray(partial.items)) return;
  shown = { kind, partial };
  const box = $("results");
  clear(box);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  box.appendChild(el("p", { className: "note partial", testid: "partial-note", role: "status",
    text: fill(t("partialNote"), { done: partial.done ?? 0, total: partial.total ?? partial.items.length }) }));
  const written = partial.items.filter((item) => item && typeof item === "object");
  if (kind === "interview") {
    const list = renderQuestions(written);
    list.dataset.testid = "partial-questions";
    // Each question still being written keeps its place, with what the plan already says of it.
    const outline = Array.isArray(partial.outline) ? partial.outline : [];
    const cards = Array.from(list.querySelectorAll('[data-testid="question-card"]'));
    let next = 0;
    partial.items.forEach((item, index) => {
      if (item) { next += 1; return; }
      const planned = outline[index] || {};
      list.insertBefore(el("article", { className: "question pending", testid: "question-pending" },
        el("div", {},
          planned.category ? el("span", { className: "badge", text: label("cat_", planned.category) }) : null,
          el("span", { className: "muted", text: `q${index + 1}` })),
        el("p", { className: "muted", text: t("pendingQuestion") })), cards[next] || null);
    });
    box.appendChild(list);
  } else {
    const path = renderLearningPath({
      summary: partial.summary, analysis: partial.analysis, steps: written, total_weeks: partial.total_weeks,
    });
    path.dataset.testid = "partial-learning-path";
    box.appendChild(path);
  }
}

onLanguageChange(() => {
  if (shown && shown.partial) renderPartial(shown.kind, shown.partial);
  else if (shown) renderResult(shown.kind, shown.result);
  else clearResult();
});

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

// A fallback answered: say so where the result is, with the first provider's reason and (sanitized) words.
// `result` has provider, fallback_reason and attempts (a generation result; the Import card passes its report).
export function renderDegraded(result) {
  const attempts = result.attempts || [];
  const first = attempts.length ? attempts[0] : {};
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  const values = {
    first: first.provider || "?", reason: result.fallback_reason || "?", provider: result.provider || "?",
    message: first.error_message || "",
  };
  const note = el("div", { className: "note degraded", testid: "degraded-note", role: "status" },
    el("strong", { text: fill(t("degraded"), values) }));
  if (first.error_message) note.appendChild(el("p", { testid: "degraded-message", text: fill(t("degradedMessage"), values) }));
  return note;
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
