// The Access card: the access token (optional; needed when the API has authentication on).
import { $, accessToken, addStrings, emit, on, readStoredToken, setI18nText, storeToken } from "./core.js";

addStrings({
  en: {
    accessHeading: "Access", tokenLabel: "Access token (optional)", forgetToken: "Forget",
    tokenUnset: "No token: requests are sent without Authorization",
    tokenSet: "Token set: sent as Authorization: Bearer",
    tokenHint: "Needed when the API has authentication on. Kept in this tab only (sessionStorage), never in "
      + "the address bar or the event log.",
  },
  ko: {
    accessHeading: "인증", tokenLabel: "액세스 토큰 (선택)", forgetToken: "지우기",
    tokenUnset: "토큰 없음: Authorization 없이 요청합니다", tokenSet: "토큰 설정됨: Authorization: Bearer로 보냅니다",
    tokenHint: "API에 인증이 켜져 있을 때 필요합니다. 이 탭에만 보관하며 (sessionStorage) 주소창이나 이벤트 기록에는 "
      + "남기지 않습니다.",
  },
});

function tokenChanged() {
  storeToken(accessToken());
  setI18nText($("token-state"), accessToken() ? "tokenSet" : "tokenUnset");
  $("access-token").classList.remove("attention");
  $("access-token").removeAttribute("aria-invalid");
  emit("token", accessToken());  // e.g. the list of "my resumes" belonged to the previous token's user
}

export function initAccess() {
  $("access-token").value = readStoredToken();
  $("access-token").addEventListener("input", tokenChanged);
  $("forget-token").addEventListener("click", () => {
    $("access-token").value = "";
    tokenChanged();
  });
  setI18nText($("token-state"), accessToken() ? "tokenSet" : "tokenUnset");
  // Any action refused with 401 points at the token field.
  on("action-error", ({ error }) => {
    if (error && error.status === 401) {
      $("access-token").classList.add("attention");
      $("access-token").setAttribute("aria-invalid", "true");
    }
  });
}
