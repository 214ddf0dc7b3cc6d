// 監査証跡 / Audit trail (admin): records page by page, and the chain verification.

import { call, withQuery } from "./api.js";
import { el, errorText, localTime, say, table } from "./dom.js";
import { code, t } from "./i18n.js";

const PAGE_SIZE = 25;
let offset = 0;

export function setUp() {
  document.getElementById("audit-verify").addEventListener("click", verify);
  document.getElementById("audit-prev").addEventListener("click", () => load(Math.max(0, offset - PAGE_SIZE)));
  document.getElementById("audit-next").addEventListener("click", () => load(offset + PAGE_SIZE));
}

export async function load(at = offset) {
  offset = at;
  const status = document.getElementById("audit-status");
  const area = document.getElementById("audit-list");
  say(status, t("audit.loading"));
  try {
    const answer = await call("GET", withQuery("/audit", { limit: PAGE_SIZE, offset }));
    const records = answer.records || [];
    const range = { from: offset + 1, to: offset + records.length, total: answer.total };
    say(status, records.length ? t("audit.range", range) : t("audit.empty"));
    area.replaceChildren(records.length ? recordTable(records) : "");
    pager(answer.total);
  } catch (error) {
    area.replaceChildren();
    pager(0);
    say(status, errorText(error), "error");
  }
}

function pager(total) {
  document.getElementById("audit-prev").disabled = offset === 0;
  document.getElementById("audit-next").disabled = offset + PAGE_SIZE >= total;
  document.getElementById("audit-pager").hidden = total <= PAGE_SIZE;
}

/** The record's own one-line summary when it has one, the JSON otherwise. */
function summary(details) {
  if (details && typeof details === "object" && typeof details.summary === "string") return details.summary;
  return typeof details === "string" ? details : JSON.stringify(details);
}

function recordTable(records) {
  const columns = ["audit.seq", "audit.at", "audit.actor", "audit.action", "audit.details", "audit.hash"];
  const { node, body } = table("audit.title", columns, "audit");
  for (const r of records) {
    const details = el(
      "details",
      {},
      el("summary", { textContent: summary(r.details) }),
      el("pre", { textContent: JSON.stringify(r.details, null, 2) }),
    );
    body.append(
      el(
        "tr",
        { "data-seq": String(r.seq) },
        el("td", { className: "num", textContent: String(r.seq) }),
        el("td", { textContent: localTime(r.at) }),
        el("td", { textContent: r.actor }),
        el("td", { textContent: code("action", r.action), title: r.action }),
        el("td", { className: "details" }, details),
        el("td", {}, el("code", { textContent: String(r.hash || "").slice(0, 12), title: r.hash })),
      ),
    );
  }
  return node;
}

async function verify() {
  const result = document.getElementById("audit-verify-result");
  say(result, t("audit.verifying"));
  try {
    const answer = await call("GET", "/audit/verify");
    if (answer.ok) {
      say(result, t("audit.ok", { records: answer.records, head: String(answer.head || "").slice(0, 16) }), "ok");
    } else {
      say(result, t("audit.broken", { problem: answer.problem || "" }), "error");
    }
  } catch (error) {
    say(result, errorText(error), "error");
  }
}
