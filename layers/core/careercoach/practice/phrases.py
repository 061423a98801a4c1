"""The offline evaluator's sentences and the practice summary's, in Korean and English."""

from __future__ import annotations

from typing import Final

Phrases = dict[str, dict[str, str]]

RUBRIC: Final[Phrases] = {
    "relevance": {
        "en": "How closely the answer addresses what was asked ({matched} of the question's terms used).",
        "ko": "질문이 묻는 내용에 얼마나 직접 답했는지입니다(질문의 용어 {matched}개 사용).",
    },
    "depth": {
        "en": "Key points covered: {covered} of {total}; specifics (numbers, named systems, own actions): "
        "{spec}/4.",
        "ko": "다룬 핵심 요점 {total}개 중 {covered}개, 구체성(수치, 시스템 이름, 본인의 행동) {spec}/4.",
    },
    "evidence": {
        "en": "Resume facts used: {used} (the item the question is about and its neighbours).",
        "ko": "사용한 이력서 근거: {used}개(질문이 가리키는 항목과 그 주변 항목 기준).",
    },
    "structure_star": {
        "en": "STAR parts present: {parts}.",
        "ko": "STAR 구성 요소: {parts}.",
    },
    "structure_tech": {
        "en": "Reasoning parts present: {parts}.",
        "ko": "추론 구성 요소: {parts}.",
    },
    "accuracy": {
        "en": "Not verified: the offline evaluator checks that the technical vocabulary of the key points is "
        "used, not that what is said is correct.",
        "ko": "검증하지 않음: 오프라인 평가기는 핵심 요점의 기술 용어를 썼는지만 보고, 내용이 맞는지는 "
        "판단하지 "
        "못합니다.",
    },
    "none": {"en": "none", "ko": "없음"},
}

PARTS: Final[Phrases] = {
    "situation": {"en": "situation", "ko": "상황"},
    "task": {"en": "task", "ko": "과제"},
    "action": {"en": "action", "ko": "행동"},
    "result": {"en": "result", "ko": "결과"},
    "cause": {"en": "cause", "ko": "원인"},
    "option": {"en": "options considered", "ko": "검토한 대안"},
    "tradeoff": {"en": "trade-off", "ko": "트레이드오프"},
    "measurement": {"en": "measurement", "ko": "측정"},
}

STRENGTH: Final[Phrases] = {
    "covered": {"en": "Covered: {point}", "ko": "다룸: {point}"},
    "evidence": {
        "en": "Used your own record: \u201c{quote}\u201d",
        "ko": "이력서의 실제 경험을 근거로 씀: \u201c{quote}\u201d",
    },
    "numbers": {"en": "Concrete numbers ({numbers})", "ko": "구체적인 수치 제시({numbers})"},
    "first_person": {"en": "Says what you did yourself", "ko": "본인이 한 일을 분명히 말함"},
    "structure": {"en": "Clear structure: {parts}", "ko": "구조가 분명함: {parts}"},
}

IMPROVEMENT: Final[Phrases] = {
    "missing": {"en": "Cover: {point}", "ko": "보완: {point}"},
    "evidence": {
        "en": "Anchor it in your record, e.g. \u201c{quote}\u201d",
        "ko": "이력서의 경험을 근거로 드세요. 예: \u201c{quote}\u201d",
    },
    "numbers": {
        "en": "Give numbers: before and after, scale, time",
        "ko": "전후 수치, 규모, 기간 같은 숫자를 넣으세요",
    },
    "first_person": {
        "en": "Say what you did yourself (I ..., not only we ...)",
        "ko": "팀이 한 일과 구분해 본인이 한 일을 말하세요(제가 ...)",
    },
    "structure": {"en": "Add the missing parts: {parts}", "ko": "빠진 구성 요소를 넣으세요: {parts}"},
    "non_answer": {
        "en": "Even without the full answer, walk through how you would find out",
        "ko": "정답을 모르더라도 어떻게 알아낼지 사고 과정을 말해 보세요",
    },
    "copy": {
        "en": "Answer the question rather than restating it",
        "ko": "질문을 되풀이하지 말고 답해 주세요",
    },
    "off_topic": {
        "en": "Stay on the question: {topic}",
        "ko": "질문의 주제에 맞춰 답하세요: {topic}",
    },
}

OUTLINE: Final[Phrases] = {
    "context": {
        "en": "Context from your resume: \u201c{quote}\u201d",
        "ko": "이력서의 상황: \u201c{quote}\u201d",
    },
    "point": {"en": "{point}", "ko": "{point}"},
    "result_metric": {
        "en": "Close with the result in numbers: \u201c{quote}\u201d",
        "ko": "결과를 수치로 마무리: \u201c{quote}\u201d",
    },
    "star": {
        "en": "Order it as situation, task, your own actions, result",
        "ko": "상황, 과제, 본인의 행동, 결과 순서로 말하기",
    },
    "tech": {
        "en": "Name the cause, the options you weighed, the trade-off and how you measured it",
        "ko": "원인, 검토한 대안, 트레이드오프, 측정 방법을 차례로 말하기",
    },
}

FOLLOW_UP: Final[Phrases] = {
    "missing": {
        "en": "You did not get to this: {point}. How did you handle it in {anchor}?",
        "ko": "{point}에 대해서는 말씀하지 않으셨는데, {anchor}에서는 어떻게 하셨나요?",
    },
    "why_missing": {
        "en": "Probes a key point the answer missed: {point}",
        "ko": "답변에서 빠진 핵심 요점을 확인합니다: {point}",
    },
    "claim": {
        "en": "You mentioned {number}. How did you measure it, and what was it before?",
        "ko": "말씀하신 수치({number})는 어떻게 측정했고, 바뀌기 전에는 얼마였나요?",
    },
    "why_claim": {
        "en": "Probes a claim the answer made: {number}",
        "ko": "답변에서 제시한 수치를 확인합니다: {number}",
    },
    "why_deeper": {
        "en": "Goes one level deeper into a well-covered answer",
        "ko": "충분히 답한 내용을 한 단계 더 깊이 확인합니다",
    },
    "anchor": {"en": "that work", "ko": "그 작업"},
    "claim_point_1": {"en": "How the number was measured", "ko": "수치를 측정한 방법"},
    "claim_point_2": {"en": "The baseline before the change", "ko": "변경 전 기준 수치"},
}

NOTE: Final = {
    "en": "Scored by the offline evaluator (no AI model): it checks which key points, resume facts, "
    "structure "
    "and specifics the answer contains, by their terms in Korean and English; it cannot judge whether what "
    "is "
    "said is correct, how well it is argued, or a point made in words it does not know.",
    "ko": "오프라인 평가기(AI 모델 없음)의 채점입니다. 답변에 핵심 요점, 이력서의 사실, 구조, 구체적인 "
    "내용이 "
    "있는지를 한국어·영어 용어로 확인합니다. 내용이 맞는지, 논리가 얼마나 좋은지, 모르는 표현으로 말한 "
    "요점은 "
    "판단하지 못합니다.",
}

SUMMARY: Final[Phrases] = {
    "redo": {
        "en": "Answer {question_id} again and cover: {points}",
        "ko": "{question_id}에 다시 답하면서 다음을 다루세요: {points}",
    },
    "criterion": {
        "en": "Work on {criterion}: it was your weakest part (average {average}/4)",
        "ko": "{criterion} 항목을 보완하세요: 가장 약했던 부분입니다(평균 {average}/4)",
    },
    "unanswered": {
        "en": "Answer the questions you skipped: {ids}",
        "ko": "건너뛴 질문에 답해 보세요: {ids}",
    },
    "learning_path": {
        "en": "Make a learning path from this session to plan the gaps",
        "ko": "이 세션으로 학습 경로를 만들어 부족한 부분을 계획하세요",
    },
    "keep": {
        "en": "Keep the level: practise a new question set in mock mode",
        "ko": "지금 수준을 유지하세요: 새 질문 세트로 모의 면접 모드를 연습하세요",
    },
}

CRITERIA: Final[Phrases] = {
    "relevance": {"en": "relevance", "ko": "질문 적합성"},
    "depth": {"en": "depth", "ko": "깊이"},
    "evidence": {"en": "evidence from your resume", "ko": "이력서 근거"},
    "structure": {"en": "structure", "ko": "구조"},
    "accuracy": {"en": "technical accuracy", "ko": "기술적 정확성"},
}

PRACTICE_STEP: Final[Phrases] = {
    "title": {"en": "Rehearse your weakest practice answers", "ko": "연습에서 약했던 답변 다시 연습하기"},
    "why": {
        "en": "Your practice session showed gaps in: {points}",
        "ko": "연습 세션에서 다음이 부족했습니다: {points}",
    },
    "action": {
        "en": "Answer {question_id} again, covering: {point}",
        "ko": "{question_id}에 다시 답하면서 다음을 다루기: {point}",
    },
    "action_mock": {
        "en": "Run a mock-mode session on the same questions",
        "ko": "같은 질문으로 모의 면접 모드 세션 진행하기",
    },
    "milestone": {
        "en": "Each of these questions scores 70 or more in a new practice session",
        "ko": "새 연습 세션에서 이 질문들이 모두 70점 이상",
    },
    "gap_why": {
        "en": "Your answer to {question_id} (score {score}) did not cover it: \u201c{quote}\u201d",
        "ko": "{question_id} 답변(점수 {score})에서 다루지 못했습니다: \u201c{quote}\u201d",
    },
}


def say(table: Phrases, key: str, language: str, **values: object) -> str:
    return table[key][language].format(**values)
