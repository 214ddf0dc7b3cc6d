// 判定 / Determination (screener and up): a transaction from the form or pasted as JSON,
// sent to POST /determine; each jurisdiction's outcome with its reason chain (rule codes,
// text in the UI's language, citations, evidence).

import { call } from "./api.js";
import { el, errorText, say } from "./dom.js";
import { extend, language, t } from "./i18n.js";

extend({
  en: {
    "nav.determine": "Determination",
    "determine.title": "Licence determination",
    "determine.help": "Describe one export: the item's classification under each regime, the destination, the parties and the end use. The parties are screened against the lists in service; the result is recorded in the audit trail.",
    "determine.id": "Transaction ID",
    "determine.exporter": "Exporter's jurisdictions",
    "determine.destination": "Destination",
    "determine.destination_hint": "Country code or name: CN, Iran, 中国",
    "determine.description": "Item description",
    "determine.eccn": "US ECCN",
    "determine.eccn_hint": "3A001.a.1 or EAR99",
    "determine.jp": "JP 別表第一",
    "determine.jp_hint": "7の項(1), 16の項(1)",
    "determine.eu": "EU Annex I",
    "determine.eu_hint": "3A001.a.1 or not-listed",
    "determine.party": "End user",
    "determine.party_hint": "Name as on the order; screened against the lists",
    "determine.end_use": "End use",
    "determine.json": "Or paste the transaction as JSON (used instead of the form when filled in)",
    "determine.submit": "Determine",
    "determine.running": "Determining…",
    "determine.bad_json": "The pasted JSON does not parse: {detail}",
    "determine.no_exporter": "Choose at least one jurisdiction.",
    "determine.done": "Determination for {id}, recorded as audit record {seq} (rulebook version {version}).",
    "determine.rule": "Rule",
    "determine.effect": "Effect",
    "determine.reason": "Reason",
    "determine.citation": "Citation",
    "jurisdiction.JP": "Japan (FEFTA / Export Trade Control Order)",
    "jurisdiction.US": "United States (EAR)",
    "jurisdiction.EU": "European Union (Regulation 2021/821)",
    "outcome.prohibited": "Prohibited",
    "outcome.licence_required": "Licence required",
    "outcome.needs_review": "Needs review",
    "outcome.licence_exception_available": "Licence exception available",
    "outcome.no_licence_required": "No licence required",
    "effect.prohibited": "prohibited",
    "effect.licence_required": "licence",
    "effect.needs_review": "review",
    "effect.exception_available": "exception",
    "effect.info": "info",
    "effect.no_licence_required": "none",
    "end_use.civil": "Civil",
    "end_use.military": "Military",
    "end_use.conventional_weapons": "Conventional weapons",
    "end_use.nuclear": "Nuclear",
    "end_use.chemical": "Chemical weapons",
    "end_use.biological": "Biological weapons",
    "end_use.missile": "Missiles",
    "end_use.surveillance": "Surveillance",
    "end_use.internal_repression": "Internal repression",
    "end_use.unknown": "Unknown",
    "evidence": "Evidence",
  },
  ja: {
    "nav.determine": "判定",
    "determine.title": "輸出許可の判定",
    "determine.help": "輸出1件を入力します：各法令での品目の該非、仕向地、取引当事者、用途。当事者は運用中のリストで審査され、結果は監査証跡に記録されます。",
    "determine.id": "取引番号",
    "determine.exporter": "適用する法域",
    "determine.destination": "仕向地",
    "determine.destination_hint": "国コードまたは国名：CN、Iran、中国",
    "determine.description": "品目の説明",
    "determine.eccn": "米国 ECCN",
    "determine.eccn_hint": "3A001.a.1 または EAR99",
    "determine.jp": "輸出令 別表第一",
    "determine.jp_hint": "7の項(1)、16の項(1)",
    "determine.eu": "EU 附属書I",
    "determine.eu_hint": "3A001.a.1 または not-listed",
    "determine.party": "需要者",
    "determine.party_hint": "注文書どおりの名称。リストで審査します",
    "determine.end_use": "用途",
    "determine.json": "またはJSONで取引を貼り付け（入力があればフォームより優先）",
    "determine.submit": "判定する",
    "determine.running": "判定中…",
    "determine.bad_json": "貼り付けたJSONを解析できません：{detail}",
    "determine.no_exporter": "法域を一つ以上選んでください。",
    "determine.done": "{id} の判定結果（監査記録 {seq}、ルールブック第{version}版）。",
    "determine.rule": "規則",
    "determine.effect": "効果",
    "determine.reason": "理由",
    "determine.citation": "根拠条文",
    "jurisdiction.JP": "日本（外為法・輸出貿易管理令）",
    "jurisdiction.US": "米国（EAR）",
    "jurisdiction.EU": "EU（規則2021/821）",
    "outcome.prohibited": "禁止",
    "outcome.licence_required": "許可が必要",
    "outcome.needs_review": "要確認",
    "outcome.licence_exception_available": "許可例外が利用可能",
    "outcome.no_licence_required": "許可不要",
    "effect.prohibited": "禁止",
    "effect.licence_required": "要許可",
    "effect.needs_review": "要確認",
    "effect.exception_available": "例外",
    "effect.info": "情報",
    "effect.no_licence_required": "該当なし",
    "end_use.civil": "民生",
    "end_use.military": "軍事",
    "end_use.conventional_weapons": "通常兵器",
    "end_use.nuclear": "核兵器",
    "end_use.chemical": "化学兵器",
    "end_use.biological": "生物兵器",
    "end_use.missile": "ミサイル",
    "end_use.surveillance": "監視",
    "end_use.internal_repression": "国内抑圧",
    "end_use.unknown": "不明",
    "evidence": "根拠",
  },
});

const END_USES = ["civil", "military", "conventional_weapons", "nuclear", "chemical", "biological", "missile", "surveillance", "internal_repression", "unknown"];
let last = null;

export function setUp() {
  const select = document.getElementById("determine-end-use");
  select.replaceChildren(...END_USES.map((value) => el("option", { value, "data-i18n": `end_use.${value}` })));
  document.getElementById("determine-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
}

/** Re-renders the last answer after a language switch. */
export function redraw() {
  if (last) show(last);
}

/** The transaction from the pasted JSON, else from the form; throws a sentence on bad input. */
function transaction() {
  const pasted = document.getElementById("determine-json").value.trim();
  if (pasted) {
    try {
      return JSON.parse(pasted);
    } catch (e) {
      throw t("determine.bad_json", { detail: e.message });
    }
  }
  const value = (id) => document.getElementById(id).value.trim();
  const exporter = [...document.querySelectorAll("#determine-form input[name=exporter]:checked")].map((box) => box.value);
  if (!exporter.length) throw t("determine.no_exporter");
  const item = { description: value("determine-description") };
  for (const [field, id] of [["eccn", "determine-eccn"], ["jp", "determine-jp"], ["eu", "determine-eu"]]) {
    if (value(id)) item[field] = value(id);
  }
  const tx = { id: value("determine-id") || `UI-${Date.now()}`, exporter, destination: value("determine-destination"), item, end_use: [value("determine-end-use")] };
  if (value("determine-party")) tx.parties = [{ role: "end_user", name: value("determine-party") }];
  return tx;
}

async function run() {
  const status = document.getElementById("determine-status");
  let tx;
  try {
    tx = transaction();
  } catch (sentence) {
    return say(status, String(sentence), "error");
  }
  say(status, t("determine.running"));
  document.getElementById("determine-results").replaceChildren();
  try {
    last = await call("POST", "/determine", tx);
    show(last);
  } catch (error) {
    last = null;
    say(status, errorText(error), "error");
  }
}

function show(answer) {
  const d = answer.determination;
  say(document.getElementById("determine-status"), t("determine.done", { id: d.transaction_id, seq: answer.audit_seq, version: answer.rulebook.version }), "ok");
  const japanese = language() === "ja";
  const cards = d.outcomes.map((o) =>
    el(
      "section",
      { className: "card outcome", "data-jurisdiction": o.jurisdiction, "data-outcome": o.outcome },
      el("h2", {}, `${t(`jurisdiction.${o.jurisdiction}`)} — `, el("span", { className: `verdict ${o.outcome}`, textContent: t(`outcome.${o.outcome}`) })),
      el(
        "ol",
        { className: "reasons" },
        o.reasons.map((r) =>
          el(
            "li",
            { className: `reason ${r.effect}`, "data-rule": r.rule },
            el("span", { className: "effect", textContent: t(`effect.${r.effect}`) }),
            " ",
            el("code", { className: "rule", textContent: r.rule }),
            el("p", { className: "text", textContent: japanese ? r.text_ja : r.text_en }),
            el("p", { className: "citation", textContent: `${t("determine.citation")}: ${r.citation}` }),
            r.evidence ? el("p", { className: "evidence", textContent: `${t("evidence")}: ${r.evidence}` }) : null,
          ),
        ),
      ),
    ),
  );
  document.getElementById("determine-results").replaceChildren(...cards);
}
