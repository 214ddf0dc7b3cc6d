// 該非判定 / Classification: search the control lists (JP, US, EU) for candidate entries,
// and, for a reviewer, record the decision for an item.

import { call, withQuery } from "./api.js";
import { el, errorText, say, table } from "./dom.js";
import { extend, t } from "./i18n.js";

extend({
  en: {
    "nav.classify": "Classification",
    "classify.title": "Classification (該非判定)",
    "classify.help": "Search the US Commerce Control List, EU Annex I and the Export Trade Control Order's Appended Table 1 by code, keywords (Japanese or English) or a parameter.",
    "classify.q": "Search",
    "classify.q_hint": "3A001, 工作機械, machine tools, 5 axis",
    "classify.regime": "Regime",
    "classify.all": "All",
    "classify.submit": "Search",
    "classify.searching": "Searching…",
    "classify.count": "{n} candidates (rulebook version {version}).",
    "classify.none": "No entry matches.",
    "classify.col.regime": "Regime",
    "classify.col.code": "Entry",
    "classify.col.heading": "Heading and excerpt",
    "classify.col.why": "Found by",
    "classify.col.use": "Decide",
    "classify.use": "Use",
    "classify.record": "Record a decision",
    "classify.record_help": "Reviewers record the entry (or not-listed / EAR99) that applies to an item, with the reason; a later decision is a new version.",
    "classify.item": "Item (part number or product)",
    "classify.code": "Entry",
    "classify.justification": "Justification",
    "classify.record_submit": "Record",
    "classify.recorded": "Recorded {item} {regime} = {code} (version {version}, {citation}).",
    "classify.reviewer_only": "Recording a decision needs the reviewer role.",
  },
  ja: {
    "nav.classify": "該非判定",
    "classify.title": "該非判定",
    "classify.help": "米国CCL、EU附属書I、輸出貿易管理令別表第一を、番号・キーワード（日本語・英語）・仕様値で検索します。",
    "classify.q": "検索",
    "classify.q_hint": "3A001、工作機械、machine tools、5軸",
    "classify.regime": "法令",
    "classify.all": "すべて",
    "classify.submit": "検索",
    "classify.searching": "検索中…",
    "classify.count": "候補 {n} 件（ルールブック第{version}版）。",
    "classify.none": "該当する項目はありません。",
    "classify.col.regime": "法令",
    "classify.col.code": "項目",
    "classify.col.heading": "見出しと抜粋",
    "classify.col.why": "一致の理由",
    "classify.col.use": "判定",
    "classify.use": "選ぶ",
    "classify.record": "判定を記録",
    "classify.record_help": "審査担当者が品目の該当項目（または非該当 not-listed / EAR99）を理由とともに記録します。後の判定は新しい版になります。",
    "classify.item": "品目（型番・製品名）",
    "classify.code": "該当項目",
    "classify.justification": "判定理由",
    "classify.record_submit": "記録する",
    "classify.recorded": "{item} {regime} = {code} を記録しました（第{version}版、{citation}）。",
    "classify.reviewer_only": "判定の記録には審査担当者（reviewer）の権限が必要です。",
  },
});

let last = null;
let canRecord = true;

export function setUp() {
  document.getElementById("classify-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  document.getElementById("classify-record-form").addEventListener("submit", (event) => {
    event.preventDefault();
    record();
  });
}

/** Shows the record form only to reviewers and admins (the server checks again). */
export function setRole(role) {
  canRecord = !role || role === "reviewer" || role === "admin";
  document.getElementById("classify-record").hidden = !canRecord;
}

export function redraw() {
  if (last) show(last);
}

async function search() {
  const status = document.getElementById("classify-status");
  const q = document.getElementById("classify-q").value.trim();
  if (!q) return;
  say(status, t("classify.searching"));
  try {
    last = await call("GET", withQuery("/classify/search", { q, regime: document.getElementById("classify-regime").value, limit: 20 }));
    show(last);
  } catch (error) {
    last = null;
    document.getElementById("classify-results").replaceChildren();
    say(status, errorText(error), "error");
  }
}

function show(answer) {
  const hits = answer.candidates;
  say(document.getElementById("classify-status"), hits.length ? t("classify.count", { n: hits.length, version: answer.rulebook.version }) : t("classify.none"), "info");
  const { node, body } = table("classify.title", ["classify.col.regime", "classify.col.code", "classify.col.heading", "classify.col.why", "classify.col.use"], "candidates");
  for (const hit of hits) {
    const use = el("button", { type: "button", className: "link", textContent: t("classify.use") });
    use.addEventListener("click", () => choose(hit));
    const why = hit.reasons.length ? hit.reasons.join("; ") : hit.matched.join(", ");
    body.append(
      el(
        "tr",
        { "data-code": hit.code, "data-regime": hit.regime },
        el("td", { textContent: hit.regime.toUpperCase() }),
        el("td", {}, el("strong", { className: "code", textContent: hit.code }), el("small", { className: "citation", textContent: hit.citation })),
        el("td", {}, el("p", { className: "heading", textContent: hit.heading }), el("p", { className: "excerpt", textContent: hit.excerpt })),
        el("td", { className: "why", textContent: why }),
        el("td", {}, canRecord ? use : ""),
      ),
    );
  }
  document.getElementById("classify-results").replaceChildren(hits.length ? node : "");
}

function choose(hit) {
  document.getElementById("classify-record-regime").value = hit.regime;
  document.getElementById("classify-record-code").value = hit.code;
  document.getElementById("classify-record-item").focus();
}

async function record() {
  const status = document.getElementById("classify-record-status");
  const value = (id) => document.getElementById(id).value.trim();
  const body = { item: value("classify-record-item"), regime: value("classify-record-regime"), code: value("classify-record-code"), justification: value("classify-record-justification") };
  try {
    const r = await call("POST", "/classify/records", body);
    say(status, t("classify.recorded", { item: r.item, regime: r.regime.toUpperCase(), code: r.code, version: r.version, citation: r.citation }), "ok");
  } catch (error) {
    say(status, errorText(error), "error");
  }
}
