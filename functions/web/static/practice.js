// The Practice card: start a session over the resume's latest questions, answer one question at a time with a
// visible timer, submit (sync, or async with its progress polled), read the evaluation (score, rubric, covered
// and missing points, the outline of a strong answer, the resume evidence), then the follow-up or the next
// question; finish shows the summary and offers a learning path made from the session. Text only.
import {
  $, PageError, action, addStrings, api, clear, el, fmt, label, log, on, onLanguageChange, t,
} from "./core.js";
import { renderDegraded, renderResult } from "./results.js";

const POLL_MS = 400;
const TASK_TIMEOUT_MS = 120000;

addStrings({
  en: {
    practiceHeading: "4. Practice",
    practiceIntro: "Answer the latest interview questions one at a time and get scored feedback.",
    practiceMode: "Mode", modePractice: "practice: feedback after each answer",
    modeMock: "mock interview: feedback at the end", practiceEvaluator: "Evaluator",
    practiceStart: "Start a session", practiceYourAnswer: "Your answer", practiceSubmit: "Submit",
    practiceSubmitAsync: "Submit (async)", practiceFinish: "Finish", practiceAnswerFollowUp: "Answer the follow-up",
    practiceNext: "Next question", practicePlan: "Make a learning path from this session",
    practicePosition: "Question {n} of {total}", practiceFollowUpOf: "Follow-up to {id}",
    practiceDone: "Every question has an answer: finish to see the summary.",
    practiceNeedAnswer: "Write an answer first.", practiceNeedSession: "Start a session first.",
    practiceHidden: "Mock interview: the feedback comes when you finish.",
    score: "Score", verdict_strong: "strong", verdict_adequate: "adequate", verdict_weak: "weak",
    verdict_off_topic: "off topic", rubric: "Rubric", covered: "Covered", missing: "Missing",
    outline: "A strong answer", evidence: "From your resume", evidenceUsed: "used", evidenceUnused: "could have used",
    strengths: "Strengths", improvements: "To improve", followUp: "Follow-up question",
    criterion_relevance: "relevance", criterion_depth: "depth", criterion_evidence: "evidence",
    criterion_structure: "structure", criterion_accuracy: "accuracy",
    summaryHeading: "Summary", overall: "Overall", answered: "Answered", byCategory: "By category",
    weakest: "Weakest points", nextSteps: "Next steps", unanswered: "Unanswered",
    practiceStarted: "Practice session started", practiceEvaluated: "Answer evaluated",
    practiceFinished: "Practice session finished", practicePlanMade: "Learning path made from the session",
    noQuestions: "Generate interview questions for this resume first (card 2).",
  },
  ko: {
    practiceHeading: "4. 면접 연습",
    practiceIntro: "최근 면접 질문에 하나씩 답하고 채점된 피드백을 받으세요.",
    practiceMode: "모드", modePractice: "연습: 답변마다 피드백", modeMock: "모의 면접: 끝나고 피드백",
    practiceEvaluator: "평가기", practiceStart: "세션 시작", practiceYourAnswer: "내 답변", practiceSubmit: "제출",
    practiceSubmitAsync: "제출 (비동기)", practiceFinish: "마치기", practiceAnswerFollowUp: "꼬리 질문에 답하기",
    practiceNext: "다음 질문", practicePlan: "이 세션으로 학습 경로 만들기",
    practicePosition: "{total}개 중 {n}번째 질문", practiceFollowUpOf: "{id}의 꼬리 질문",
    practiceDone: "모든 질문에 답했습니다. 마치기를 누르면 요약을 볼 수 있습니다.",
    practiceNeedAnswer: "먼저 답변을 작성하세요.", practiceNeedSession: "먼저 세션을 시작하세요.",
    practiceHidden: "모의 면접: 피드백은 마친 뒤에 나옵니다.",
    score: "점수", verdict_strong: "우수", verdict_adequate: "적정", verdict_weak: "부족", verdict_off_topic: "주제 이탈",
    rubric: "평가 기준", covered: "다룬 요점", missing: "빠진 요점", outline: "모범 답변의 구성", evidence: "이력서 근거",
    evidenceUsed: "사용함", evidenceUnused: "사용할 수 있었음", strengths: "잘한 점", improvements: "보완할 점",
    followUp: "꼬리 질문", criterion_relevance: "질문 적합성", criterion_depth: "깊이", criterion_evidence: "근거",
    criterion_structure: "구조", criterion_accuracy: "정확성",
    summaryHeading: "요약", overall: "종합", answered: "답변 수", byCategory: "카테고리별", weakest: "가장 약한 부분",
    nextSteps: "다음 단계", unanswered: "답하지 않은 질문",
    practiceStarted: "연습 세션 시작", practiceEvaluated: "답변 평가 완료", practiceFinished: "연습 세션 종료",
    practicePlanMade: "세션으로 학습 경로 생성", noQuestions: "먼저 이 이력서의 면접 질문을 생성하세요 (2번 카드).",
  },
});

let resume = null;
let session = null;   // the session as the API last showed it
let current = null;   // {question_id, question, kind}
let lastTurn = null;  // the latest evaluated turn shown
let startedAt = 0;
let timer = null;

const base = () => `/api/v1/practice/${encodeURIComponent(resume.unique_key)}`;

function tick() {
  const seconds = Math.floor((Date.now() - startedAt) / 1000);
  $("practice-timer").textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function ask(next) {
  current = next;
  $("practice-answer").value = "";
  $("practice-next-row").hidden = true;
  if (!next) {
    $("practice-question").textContent = t("practiceDone");
    $("practice-position").textContent = "";
    clearInterval(timer);
    return;
  }
  $("practice-question").textContent = next.question;
  if (next.kind === "follow_up") {
    $("practice-position").textContent = fmt("practiceFollowUpOf", { id: next.question_id.split("-")[0] });
  } else {
    const index = session.questions.findIndex((q) => q.question_id === next.question_id);
    $("practice-position").textContent = fmt("practicePosition", { n: index + 1, total: session.questions.length });
  }
  $("practice-position").dataset.questionId = next.question_id;
  startedAt = Date.now();
  clearInterval(timer);
  timer = setInterval(tick, 1000);
  tick();
}

function list(title, items, testid, className) {
  if (!items || !items.length) return null;
  return el("div", {}, el("h3", { text: title }),
    el("ul", { className }, ...items.map((item) => el("li", { testid, text: item }))));
}

function renderEvaluation(turn) {
  const box = $("practice-feedback");
  clear(box);
  lastTurn = turn;
  if (!turn) return;
  const evaluation = turn.evaluation;
  if (!evaluation) {
    box.appendChild(el("p", { className: "muted", testid: "practice-hidden", text: t("practiceHidden") }));
  } else {
    // A fallback evaluator answered: say so above the score, as a degraded generation result does.
    if (turn.degraded) box.appendChild(renderDegraded(turn));
    box.appendChild(el("div", { className: "row" },
      el("span", { className: "score", testid: "practice-score", text: evaluation.score }),
      el("span", { className: "verdict", testid: "practice-verdict", text: label("verdict_", evaluation.verdict) }),
      el("span", { className: "muted", text: `${turn.provider} / ${turn.model || ""}` })));
    if (evaluation.note) box.appendChild(el("p", { className: "note", testid: "practice-note", text: evaluation.note }));
    box.appendChild(el("h3", { text: t("rubric") }));
    box.appendChild(el("ul", { className: "rubric" }, ...evaluation.rubric.map((entry) => el("li",
      { testid: "practice-rubric-item" }, el("strong", { text: `${label("criterion_", entry.criterion)} ${entry.score}/4` }),
      ` ${entry.comment}`))));
    box.appendChild(el("div", { className: "points" },
      list(t("covered"), evaluation.covered_points, "practice-covered", "covered") || el("div"),
      list(t("missing"), evaluation.missing_points, "practice-missing", "missing") || el("div")));
    const outline = list(t("outline"), evaluation.model_answer_outline, "practice-outline");
    if (outline) box.appendChild(outline);
    if (evaluation.resume_evidence.length) {
      box.appendChild(el("h3", { text: t("evidence") }));
      for (const item of evaluation.resume_evidence) {
        box.appendChild(el("blockquote", { testid: "practice-evidence" }, item.quote,
          el("cite", { text: `${item.source} · ${t(item.used ? "evidenceUsed" : "evidenceUnused")}` })));
      }
    }
    for (const [key, items, testid] of [["strengths", evaluation.strengths, "practice-strength"],
      ["improvements", evaluation.improvements, "practice-improvement"]]) {
      const part = list(t(key), items, testid);
      if (part) box.appendChild(part);
    }
  }
  if (turn.follow_up) {
    box.appendChild(el("div", { className: "follow-up", testid: "practice-follow-up" },
      el("strong", { text: `${t("followUp")}: ` }), turn.follow_up.question,
      el("div", { className: "muted", text: turn.follow_up.why })));
  }
}

function showNext(turn) {
  const next = turn.next;
  const followUp = turn.follow_up;
  if (session.mode === "mock" || !followUp) {
    ask(next);
    return;
  }
  // Practice mode: the follow-up is offered beside the next question.
  $("practice-next-row").hidden = false;
  $("practice-answer-follow-up").onclick = () => ask({ ...followUp, kind: "follow_up" });
  $("practice-next").onclick = () => ask(next);
  $("practice-next").disabled = !next;
}

async function refresh() {
  session = await api("GET", `${base()}/sessions/${session.session_id}`);
}

async function start() {
  if (!resume) throw PageError.check("needResume", {}, "no_resume");
  const body = { mode: $("practice-mode").value };
  if ($("practice-language").value !== "auto") body.language = $("practice-language").value;
  try {
    session = await api("POST", `${base()}/sessions`, body);
  } catch (err) {
    if (err.code === "generation_not_found") throw PageError.check("noQuestions", {}, "generation_not_found");
    throw err;
  }
  log(`${t("practiceStarted")}: ${session.session_id}`);
  $("practice-session").hidden = false;
  clear($("practice-summary"));
  $("practice-plan-row").hidden = true;
  renderEvaluation(null);
  ask(session.next);
}

function answerBody() {
  if (!session) throw PageError.check("practiceNeedSession", {}, "no_session");
  if (!current) throw PageError.check("practiceDone", {}, "no_question");
  const answer = $("practice-answer").value.trim();
  if (!answer) throw PageError.check("practiceNeedAnswer", {}, "empty_answer");
  return {
    question_id: current.question_id,
    answer,
    seconds_taken: Math.round((Date.now() - startedAt) / 1000),
    provider: $("practice-provider").value,
  };
}

function progress(value, stage) {
  $("practice-progress").value = value;
  $("practice-stage").textContent = stage ? label("stage_", stage) : "";
  $("practice-stage").dataset.stage = stage || "";
}

async function submit(asynchronous) {
  const body = answerBody();
  const sessionPath = `${base()}/sessions/${session.session_id}`;
  let turn;
  if (!asynchronous) {
    progress(30, "calling_llm");
    turn = await api("POST", `${sessionPath}/answers`, body);
  } else {
    const path = `/api/v1/practice/async/${encodeURIComponent(resume.unique_key)}/sessions/${session.session_id}/answers`;
    const accepted = await api("POST", path, body);
    log(`${t("submitted")}: ${accepted.task_id}`);
    const deadline = Date.now() + TASK_TIMEOUT_MS;
    for (;;) {
      const task = await api("GET", accepted.progress_url);
      progress(task.progress, task.stage);
      if (task.status === "succeeded") { turn = task.result; break; }
      if (task.status === "failed") {
        throw new PageError({ code: task.error.code || "task_failed", serverMessage: task.error.message });
      }
      if (Date.now() > deadline) throw PageError.check("networkError", { detail: "timeout" }, "timeout");
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  progress(100, "saved");
  log(`${t("practiceEvaluated")}: ${turn.question_id}${turn.evaluation ? ` (${turn.evaluation.score})` : ""}`);
  await refresh();
  renderEvaluation(turn);
  showNext(turn);
}

function renderSummary() {
  const box = $("practice-summary");
  clear(box);
  const summary = session && session.summary;
  if (!summary) return;
  box.appendChild(el("h3", { text: t("summaryHeading") }));
  box.appendChild(el("p", {}, el("span", { className: "score", testid: "practice-overall", text: summary.overall_score ?? "-" }),
    el("span", { text: `${t("answered")}: ${summary.answered}` })));
  const categories = Object.entries(summary.by_category).map(([category, score]) => `${label("cat_", category)}: ${score}`);
  for (const [key, items, testid] of [
    ["byCategory", categories, "practice-category"],
    ["weakest", summary.weakest_points.map((p) => `${p.question_id} (${p.score}): ${p.point}`), "practice-weak-point"],
    ["nextSteps", summary.next_steps, "practice-next-step"],
    ["unanswered", summary.unanswered, "practice-unanswered"],
  ]) {
    const part = list(t(key), items, testid);
    if (part) box.appendChild(part);
  }
  $("practice-plan-row").hidden = !summary.weakest_points.length;
}

async function finish() {
  if (!session) throw PageError.check("practiceNeedSession", {}, "no_session");
  session = await api("POST", `${base()}/sessions/${session.session_id}/finish`);
  log(t("practiceFinished"));
  clearInterval(timer);
  current = null;
  $("practice-question").textContent = "";
  $("practice-next-row").hidden = true;
  // Mock mode: every evaluation is shown now; the last one stays on screen.
  const turns = session.turns;
  if (turns.length) renderEvaluation(turns[turns.length - 1]);
  renderSummary();
}

async function plan() {
  const path = `/api/v1/learning/${encodeURIComponent(resume.unique_key)}/learning-path`;
  const result = await api("POST", path, { practice_session_id: session.session_id, provider: $("practice-provider").value });
  log(t("practicePlanMade"));
  renderResult("learning", result);
  $("results").scrollIntoView({ block: "start" });
}

export function initPractice() {
  action("practice-start", { buttons: [$("practice-start")], run: start });
  action("practice-answer", { buttons: [$("practice-submit"), $("practice-submit-async")],
    run: (button) => submit(button === $("practice-submit-async")) });
  action("practice-finish", { buttons: [$("practice-finish")], run: finish });
  action("practice-plan", { buttons: [$("practice-learning-path")], run: plan });
  on("resume", (next) => {
    resume = next;
    session = null;
    current = null;
    clearInterval(timer);
    $("practice-session").hidden = true;
  });
  onLanguageChange(() => {
    if (lastTurn) renderEvaluation(lastTurn);
    renderSummary();
    if (current) ask(current);
  });
}
