"""The original system's example resume, reconstructed from its documented schema (nothing of its files is
copied: the person, the projects and every value here are invented), and its stored documents as
`mongoexport` would write them.

The original system is the FastAPI service the seed architecture describes (/work/shared/seeds/
architecture.ko.md: a resume service with CRUD on a flexible-schema MongoDB collection `resumes`, beside
interview and learning services). The seed document names no fields; the fields come from that system's
public repository, github.com/jungeunyooon/JobKorea-AI-Challenge at commit c2502fa5c883:

- top level (`name`, `contact`, `summary`, `work_experiences`, `total_experience_months`,
  `personal_projects`, `technical_skills`, `certifications`, `activities`, `education`): its `ResumeCreate`
  model, backend/resume-service/src/schemas.py, and the `resumes` collection schema,
  backend/shared/database/collections.py (`get_resumes_schema`);
- `contact` {`phone`, `email`, `github`, `linkedin`, `portfolio`}: `ContactInfo`, same file;
- `work_experiences[]` {`company`, `position`, `duration`, `project_name`, `project_description`,
  `tech_stack`, `achievements`, `team_size`}: `WorkExperience`;
- `personal_projects[]` {`name`, `duration`, `description`, `tech_stack`, `github_url`, `demo_url`,
  `key_achievements`, `architecture_highlights`}: `PersonalProject`;
- `technical_skills` {`programming_languages`, `frameworks`, `databases`, `message_queue_caching`,
  `cloud_platforms`, `devops_tools`, `monitoring_tools`, `others`}: `TechnicalSkills`;
- `certifications[]` {`name`, `issuer`, `issue_date` (YYYY.MM.DD), `expiry_date`, `credential_url`}:
  `Certification`;
- `activities[]` {`type`, `name`, `description`, `period`, `achievements`, `url`}: `Activity`;
- `education[]` {`institution`, `degree`, `major`, `period`, `status`}: `Education`;
- which optional fields are `null` (`contact.portfolio`, one project's `demo_url`, a certification's
  `credential_url`), and that one project carries `architecture_highlights` while the other carries more
  than one: the shape of its example, resume-example.json at the repository root;
- a stored document adds `_id` (ObjectId), `unique_key` (`<name>_<n>`, "이름 기반 고유 키") and
  `created_at`/`updated_at` (datetimes): collections.py and `create_resume` in
  backend/resume-service/src/routes.py. Its validators accepted "" for optional URLs (`if v and not
  re.match(...)`), so stored documents may hold blank strings: `EXPORTED_WITH_BLANKS`.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

ORIGINAL_EXAMPLE_RESUME: dict[str, Any] = {
    "name": "한서버",
    "contact": {
        "phone": "010-2345-6789",
        "email": "han.server@example.com",
        "github": "https://github.com/hanserver-example",
        "linkedin": "https://www.linkedin.com/in/hanserver-example",
        "portfolio": None,
    },
    "summary": (
        "물류 스타트업에서 배송 추적 백엔드를 RabbitMQ 기반 이벤트 구조로 재설계했고, 사이드 프로젝트로 "
        "실시간 좌석 예약 서비스를 Go와 Redis로 만들어 운영했습니다. Terraform과 GitHub Actions로 "
        "배포를 자동화하는 일을 즐깁니다."
    ),
    "work_experiences": [
        {
            "company": "빠른물류",
            "position": "Backend Engineer Intern",
            "duration": "2024.03 ~ 2024.08",
            "project_name": "배송 추적 이벤트 파이프라인 재설계",
            "project_description": "택배사 웹훅을 받아 배송 상태를 갱신하던 동기 API를 이벤트 기반으로 전환",
            "tech_stack": ["Kotlin", "Spring Boot", "RabbitMQ", "PostgreSQL", "Docker"],
            "achievements": [
                "웹훅 수신과 상태 갱신을 RabbitMQ 큐로 분리해 피크 시간 타임아웃을 월 300건에서 5건으로 줄임",
                "멱등 키로 중복 웹훅을 걸러 배송 상태 역전 버그 제거",
                "Testcontainers 통합 테스트를 도입해 배포 전 회귀를 잡는 파이프라인 구축",
            ],
            "team_size": 5,
        }
    ],
    "total_experience_months": 6,
    "personal_projects": [
        {
            "name": "SeatNow",
            "duration": "2024.09 - 현재 진행중",
            "description": "공연장 좌석을 실시간으로 선점하고 결제까지 이어주는 예약 서비스",
            "tech_stack": ["Go", "Redis", "PostgreSQL", "Kubernetes", "Terraform", "Grafana"],
            "github_url": "https://github.com/hanserver-example/seatnow",
            "demo_url": "https://seatnow.example.net",
            "key_achievements": [
                "Redis 분산 락과 TTL로 좌석 중복 선점을 막아 동시 접속 2,000명 부하 테스트 통과",
                "결제 실패 시 보상 트랜잭션으로 좌석을 되돌리는 흐름 구현",
            ],
            "architecture_highlights": [
                "좌석 선점, 결제, 알림을 별도 서비스로 나누고 Outbox 패턴으로 이벤트 유실 방지",
                "Terraform으로 GKE 클러스터와 Cloud SQL을 코드로 관리하고 스테이징 환경을 분리",
            ],
        },
        {
            "name": "StudyLog",
            "duration": "2023.12 - 2024.02",
            "description": "스터디 출석과 학습 기록을 모아 주간 리포트를 보내주는 서비스",
            "tech_stack": ["Python", "FastAPI", "MongoDB", "AWS Lambda"],
            "github_url": "https://github.com/hanserver-example/studylog",
            "demo_url": None,
            "key_achievements": ["AWS Lambda 스케줄러로 주간 리포트 발송 비용을 월 1달러 미만으로 유지"],
            "architecture_highlights": ["MongoDB 집계 파이프라인으로 주간 통계를 한 번의 쿼리로 계산"],
        },
    ],
    "technical_skills": {
        "programming_languages": ["Kotlin", "Go", "Python"],
        "frameworks": ["Spring Boot", "FastAPI"],
        "databases": ["PostgreSQL", "MongoDB", "Redis"],
        "message_queue_caching": ["RabbitMQ", "Redis"],
        "cloud_platforms": ["AWS", "GCP"],
        "devops_tools": ["Docker", "Kubernetes", "Terraform", "GitHub Actions"],
        "monitoring_tools": ["Grafana", "Prometheus"],
        "others": ["Testcontainers", "Outbox pattern"],
    },
    "certifications": [
        {
            "name": "AWS Certified Developer - Associate",
            "issuer": "Amazon Web Services",
            "issue_date": "2024.11.02",
            "expiry_date": "2027.11.02",
            "credential_url": None,
        },
        {
            "name": "정보처리기사",
            "issuer": "한국산업인력공단",
            "issue_date": "2023.06.16",
            "expiry_date": None,
            "credential_url": "https://www.q-net.or.kr/example-credential",
        },
    ],
    "activities": [
        {
            "type": "오픈소스",
            "name": "KoNLP 컨트리뷰터 모임",
            "description": "형태소 분석기 오픈소스의 비동기 API 래퍼를 설계하고 리뷰어로 참여",
            "period": "2024.01 ~ 현재",
            "achievements": ["asyncio 래퍼 PR 병합, 처리량 3배 개선", "월간 밋업에서 비동기 I/O 발표"],
            "url": "https://github.com/konlp-example",
        }
    ],
    "education": [
        {
            "institution": "한빛대학교",
            "degree": "학사",
            "major": "소프트웨어학과",
            "period": "2020.03 ~ 2025.02",
            "status": "졸업",
        }
    ],
}

# The smallest resume its schema accepted, with the empty lists its clients sent (`"activities": []` too).
ORIGINAL_MINIMAL_RESUME: dict[str, Any] = {
    "name": "최소한",
    "contact": {"email": "minimal@example.com"},
    "summary": "백엔드 개발을 공부하고 있는 신입 개발자입니다.",
    "work_experiences": [],
    "total_experience_months": 0,
    "personal_projects": [],
    "technical_skills": {"programming_languages": ["Java"], "frameworks": [], "others": []},
    "certifications": [],
    "activities": [],
    "education": [],
}


def stored_document(
    resume: dict[str, Any], object_id: str, unique_key: str, created: datetime
) -> dict[str, Any]:
    """A document of the original `resumes` collection, as its resume service stored it."""
    from bson import ObjectId

    return {
        "_id": ObjectId(object_id),
        **copy.deepcopy(resume),
        "unique_key": unique_key,
        "created_at": created,
        "updated_at": created,
    }


CREATED = datetime(2025, 8, 1, 9, 30, 15, 123000, tzinfo=UTC)

# What a stored document with the blank strings that system let through looks like.
EXPORTED_WITH_BLANKS: dict[str, Any] = {
    **copy.deepcopy(ORIGINAL_EXAMPLE_RESUME),
    "contact": {**ORIGINAL_EXAMPLE_RESUME["contact"], "portfolio": "", "linkedin": " "},
}
EXPORTED_WITH_BLANKS["personal_projects"][1]["demo_url"] = ""


def differences(sent: Any, returned: Any, path: str = "") -> list[str]:
    """Where `returned` does not give back exactly what was `sent`: every field under its own name with
    its value (nulls included); the stored shape may only add fields that are empty (null, [], {})."""
    if isinstance(sent, dict):
        if not isinstance(returned, dict):
            return [path or "."]
        found = [
            d for key, value in sent.items() for d in differences(value, returned.get(key), f"{path}.{key}")
        ]
        extra = [
            f"{path}.{key}"
            for key, value in returned.items()
            if key not in sent and value not in (None, [], {})
        ]
        return found + extra
    if isinstance(sent, list):
        if not isinstance(returned, list) or len(sent) != len(returned):
            return [path]
        return [
            d
            for i, (a, b) in enumerate(zip(sent, returned, strict=True))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    return [] if sent == returned else [path]
