// 取引先審査 / Screen a name: POST /match/default and the candidates with their explanation.

import { call, withQuery } from "./api.js";
import { el, errorText, say, score, signed, table } from "./dom.js";
import { highlightName } from "./highlight.js";
import { code, t } from "./i18n.js";

export const SCHEMAS = ["Person", "Organization", "Vessel", "Airplane"];
const RESULT_LIMIT = 10;

let last = null; // {name, body}: redrawn when the language changes

export function setUp() {
  const form = document.getElementById("screen-form");
  const select = document.getElementById("screen-schema");
  for (const schema of SCHEMAS) select.append(el("option", { value: schema, "data-i18n": `schema.${schema}` }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    screen(new FormData(form));
  });
}

export function redraw() {
  if (last) render(last.name, last.body);
}

async function screen(data) {
  const status = document.getElementById("screen-status");
  const name = String(data.get("name") || "").trim();
  if (!name) return;
  const properties = { name: [name] };
  for (const [field, property] of [["country", "country"], ["birth_date", "birthDate"]]) {
    const value = String(data.get(field) || "").trim();
    if (value) properties[property] = [value];
  }
  const body = { queries: { q: { schema: data.get("schema"), properties } } };
  say(status, t("screen.running"));
  document.getElementById("screen-results").replaceChildren();
  try {
    const answer = await call("POST", withQuery("/match/default", { limit: RESULT_LIMIT }), body);
    last = { name, body: answer };
    render(name, answer);
  } catch (error) {
    last = null;
    say(status, errorText(error), "error");
  }
}

function render(name, answer) {
  const response = answer.responses.q;
  const results = response.results || [];
  const status = document.getElementById("screen-status");
  say(status, results.length ? t("screen.found", { count: results.length, name }) : t("screen.none", { name }), results.length ? "ok" : "info");
  const area = document.getElementById("screen-results");
  if (!results.length) return area.replaceChildren();
  const columns = ["col.score", "col.match", "col.source", "col.caption", "col.matched_name", "col.schema", "col.case", "col.details"];
  const { node, body } = table("results.caption", columns, "results");
  const queryName = (response.query && response.query.properties && response.query.properties.name && response.query.properties.name[0]) || name;
  results.forEach((result, i) => {
    const detailId = `result-detail-${i}`;
    const [row, detail] = [resultRow(result, queryName, detailId), detailRow(result, detailId, columns.length)];
    body.append(row, detail);
  });
  area.replaceChildren(node);
}

/** Marks for the aligned tokens of one side ("query" or "listed") of a structured explanation. */
function marksFor(explanation, side) {
  const tokens = (explanation && Array.isArray(explanation.tokens) && explanation.tokens) || [];
  return tokens.map((token, pair) => ({
    token: token[side],
    pair,
    title: `${token.query} → ${token.query_key} ≈ ${token.listed_key} ← ${token.listed} (${code("via", token.via)}, ${code("how", token.how)})`,
  }));
}

function resultRow(result, queryName, detailId) {
  const explanation = result.explanation;
  const matchedName = result.matched_name || result.caption;
  const toggle = el("button", { type: "button", className: "link", "aria-expanded": "false", "aria-controls": detailId, textContent: t("col.details") });
  toggle.addEventListener("click", () => {
    const detail = document.getElementById(detailId);
    detail.hidden = !detail.hidden;
    toggle.setAttribute("aria-expanded", String(!detail.hidden));
  });
  const nameCell = el(
    "td",
    { className: "names" },
    el("div", { className: "listed-name" }, highlightName(matchedName, marksFor(explanation, "listed"))),
    el("div", { className: "query-name" }, el("span", { className: "label", textContent: `${t("query.label")}: ` }), highlightName(queryName, marksFor(explanation, "query"))),
  );
  const caseInfo = result.case
    ? `#${result.case.id} ${result.case.outcome ? t(`case.outcome.${result.case.outcome}`) : t(`status.${result.case.status}`)}`
    : "";
  return el(
    "tr",
    { className: result.match ? "is-match" : "", "data-entity-id": result.id },
    el("td", { className: "num score", textContent: score(result.score) }),
    el("td", {}, el("span", { className: result.match ? "badge alert" : "badge", textContent: t(result.match ? "match.yes" : "match.no") })),
    el("td", { className: "source", textContent: (result.datasets || []).join(", ") }),
    el("td", { className: "caption", textContent: result.caption }),
    nameCell,
    el("td", { textContent: t(`schema.${result.schema}`) }),
    el("td", { className: "case", textContent: caseInfo }),
    el("td", {}, toggle),
  );
}

function detailRow(result, detailId, width) {
  const explanation = result.explanation;
  const parts = [el("h3", { textContent: t("explain.title") })];
  if (typeof explanation === "string") {
    parts.push(el("p", { className: "summary", textContent: explanation }));
  } else if (explanation) {
    parts.push(el("p", { className: "summary" }, el("strong", { textContent: `${t("explain.summary")}: ` }), explanation.summary));
    parts.push(tokenTable(explanation));
    for (const [key, list] of [["explain.unmatched_query", explanation.unmatched_query], ["explain.unmatched_listed", explanation.unmatched_listed]]) {
      if (list && list.length) parts.push(el("p", {}, el("strong", { textContent: `${t(key)}: ` }), list.join(" ")));
    }
    parts.push(featureTable(result, explanation));
  }
  const props = result.properties || {};
  for (const [key, values] of [["explain.birth_dates", props.birthDate], ["explain.countries", props.country || props.nationality]]) {
    if (values && values.length) parts.push(el("p", {}, el("strong", { textContent: `${t(key)}: ` }), values.join(", ")));
  }
  return el("tr", { className: "detail", id: detailId, hidden: true }, el("td", { colspan: String(width) }, parts));
}

function tokenTable(explanation) {
  const columns = ["explain.query", "explain.listed", "explain.via", "explain.how", "explain.similarity", "explain.contribution"];
  const { node, body } = table("explain.tokens", columns, "tokens");
  explanation.tokens.forEach((token, pair) => {
    const tag = (text) => el("mark", { className: `token pair-${pair % 6}`, "data-pair": String(pair + 1), textContent: text });
    body.append(
      el(
        "tr",
        {},
        el("td", {}, tag(token.query), token.query_key !== token.query ? ` → ${token.query_key}` : ""),
        el("td", {}, tag(token.listed), token.listed_key !== token.listed ? ` → ${token.listed_key}` : ""),
        el("td", { textContent: code("via", token.via), title: token.via }),
        el("td", { textContent: code("how", token.how), title: token.how }),
        el("td", { className: "num", textContent: score(token.similarity) }),
        el("td", { className: "num", textContent: score(token.contribution) }),
      ),
    );
  });
  return node;
}

function featureTable(result, explanation) {
  const { node, body } = table("explain.features", ["explain.feature", "explain.effect", "explain.detail"], "features");
  body.append(
    el("tr", { "data-feature": "name" }, el("td", { textContent: t("explain.name_score") }), el("td", { className: "num", textContent: score(explanation.name_score) }), el("td")),
  );
  for (const feature of explanation.features || []) {
    body.append(
      el(
        "tr",
        { "data-feature": feature.feature },
        el("td", { textContent: code("feature", feature.feature), title: feature.feature }),
        el("td", { className: "num", textContent: signed(feature.effect) }),
        el("td", { textContent: feature.detail }),
      ),
    );
  }
  return node;
}
