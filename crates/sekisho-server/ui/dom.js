// Small DOM helpers. Text from the API is only ever set as text, never parsed as HTML.

import { language, t } from "./i18n.js";

/** el("td", {className: "num"}, "0.93", child...): attributes go on as properties or data-*. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("data-") || name.startsWith("aria-") || name === "role" || name === "scope" || name === "colspan") {
      node.setAttribute(name, value === true ? "" : value);
    } else {
      node[name] = value;
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) node.append(child);
  }
  return node;
}

/** Shows a message in a status area; kind is "info", "ok" or "error". */
export function say(node, text, kind = "info") {
  node.textContent = text;
  node.dataset.kind = kind;
  node.hidden = !text;
}

/** A user-facing sentence for a failed API call. */
export function errorText(error) {
  if (error.missingEndpoint) return t("missing_endpoint", { path: error.path.split("?")[0] });
  if (error.status === 0) return t("network_error", { detail: error.detail });
  if (error.status === undefined) return String(error);
  return t("error", { status: error.status, detail: error.detail });
}

export function score(value) {
  return typeof value === "number" ? value.toFixed(2) : "";
}

export function signed(value) {
  return typeof value === "number" ? (value >= 0 ? "+" : "") + value.toFixed(2) : "";
}

/** An RFC 3339 time in the reader's time zone and the UI's language, or the text as given. */
export function localTime(text) {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return String(text ?? "");
  return date.toLocaleString(language() === "ja" ? "ja-JP" : "en-GB", { dateStyle: "medium", timeStyle: "medium" });
}

/** A table with a caption and translated column headings. */
export function table(captionKey, columnKeys, className = "") {
  const headRow = el("tr", {}, columnKeys.map((key) => el("th", { scope: "col", textContent: t(key) })));
  const body = el("tbody");
  const node = el("table", { className }, el("caption", { textContent: t(captionKey) }), el("thead", {}, headRow), body);
  return { node, body };
}
