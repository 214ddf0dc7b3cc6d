// 案件レビュー / Case queue (reviewer and admin): open cases, one case in detail, and the
// decision (true match or false positive) with its reason.

import { call, withQuery } from "./api.js";
import { el, errorText, localTime, say, score, table } from "./dom.js";
import { t } from "./i18n.js";

const PAGE_SIZE = 20;
let offset = 0;
let cases = [];

export function setUp() {
  document.getElementById("case-form").addEventListener("submit", (event) => {
    event.preventDefault();
    review(new FormData(event.target));
  });
  document.getElementById("case-close").addEventListener("click", closeCase);
  document.getElementById("cases-prev").addEventListener("click", () => load(Math.max(0, offset - PAGE_SIZE)));
  document.getElementById("cases-next").addEventListener("click", () => load(offset + PAGE_SIZE));
}

export async function load(at = offset) {
  offset = at;
  const status = document.getElementById("cases-status");
  const area = document.getElementById("cases-list");
  say(status, t("cases.loading"));
  try {
    const answer = await call("GET", withQuery("/cases", { status: "open", limit: PAGE_SIZE, offset }));
    cases = answer.cases || [];
    say(status, cases.length ? t("cases.count", { total: answer.total }) : t("cases.empty"), "info");
    area.replaceChildren(cases.length ? caseTable() : "");
    pager(answer.total);
  } catch (error) {
    cases = [];
    area.replaceChildren();
    pager(0);
    say(status, errorText(error), "error");
  }
}

function pager(total) {
  document.getElementById("cases-prev").disabled = offset === 0;
  document.getElementById("cases-next").disabled = offset + PAGE_SIZE >= total;
  document.getElementById("cases-pager").hidden = total <= PAGE_SIZE;
}

function caseTable() {
  const columns = ["cases.opened_at", "cases.counterparty", "cases.candidate", "col.matched_name", "col.score", "col.source", "cases.open"];
  const { node, body } = table("cases.title", columns, "cases");
  for (const c of cases) {
    const open = el("button", { type: "button", className: "link", textContent: `${t("cases.open")} #${c.id}` });
    open.addEventListener("click", () => openCase(c));
    body.append(
      el(
        "tr",
        { "data-case-id": String(c.id) },
        el("td", { textContent: localTime(c.opened_at) }),
        el("td", { textContent: c.counterparty_name || c.counterparty }),
        el("td", { textContent: c.caption }),
        el("td", { textContent: c.matched_name }),
        el("td", { className: "num", textContent: score(c.score) }),
        el("td", { className: "source", textContent: c.source }),
        el("td", {}, open),
      ),
    );
  }
  return node;
}

function explanationText(explanation) {
  if (!explanation) return "";
  if (typeof explanation === "string") return explanation;
  return explanation.summary || JSON.stringify(explanation);
}

function openCase(c) {
  const panel = document.getElementById("case-detail");
  document.getElementById("case-title").textContent = t("cases.detail", { id: `#${c.id}` });
  const facts = [
    ["cases.status", t(`status.${c.status}`)],
    ["cases.counterparty", `${c.counterparty_name || ""} (${c.counterparty})`],
    ["cases.entity", `${c.caption} — ${c.entity_id}`],
    ["col.matched_name", c.matched_name],
    ["col.score", score(c.score)],
    ["col.source", c.source],
    ["cases.opened_at", localTime(c.opened_at)],
    ["cases.entity_version", c.entity_version],
    ["cases.explanation", explanationText(c.explanation)],
  ];
  document.getElementById("case-facts").replaceChildren(...facts.flatMap(([key, value]) => [el("dt", { textContent: t(key) }), el("dd", { textContent: value ?? "" })]));
  const form = document.getElementById("case-form");
  form.reset();
  form.dataset.caseId = String(c.id);
  say(document.getElementById("case-status"), "");
  panel.hidden = false;
  document.getElementById("case-title").focus();
}

function closeCase() {
  document.getElementById("case-detail").hidden = true;
}

async function review(data) {
  const form = document.getElementById("case-form");
  const status = document.getElementById("case-status");
  const decision = data.get("decision");
  const reason = String(data.get("reason") || "").trim();
  if (!decision || !reason) return say(status, t("cases.need_reason"), "error");
  const id = form.dataset.caseId;
  try {
    await call("POST", `/cases/${encodeURIComponent(id)}/review`, { decision, reason });
    closeCase();
    await load();
    say(document.getElementById("cases-status"), t("cases.recorded", { id: `#${id}`, decision: t(`cases.${decision}`) }), "ok");
  } catch (error) {
    say(status, errorText(error), "error");
  }
}
