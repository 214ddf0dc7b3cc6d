// 一括審査 / Batch files (screener): upload a CSV or Excel file as a job, watch its progress,
// download the result; below, the key's jobs with their results.

import { call, download, upload, withQuery } from "./api.js";
import { el, errorText, localTime, say, table } from "./dom.js";
import { t } from "./i18n.js";

const POLL_MS = 500;
const PAGE_SIZE = 20;
// The job shown in the progress panel, and its last state from the server.
let watched = null;
let polling = null;

export function setUp() {
  document.getElementById("batch-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
}

/** Shown (or the language changed): the job list, and the watched job redrawn. */
export function load() {
  if (watched) showJob(watched);
  list();
}

async function submit() {
  const status = document.getElementById("batch-status");
  const file = document.getElementById("batch-file").files[0];
  if (!file) return say(status, t("batch.need_file"), "error");
  const nameColumn = document.getElementById("batch-name-column").value.trim();
  say(status, t("batch.uploading", { name: file.name }));
  try {
    const job = await upload(withQuery("/jobs", { filename: file.name, name_column: nameColumn }), file);
    say(status, "");
    document.getElementById("batch-form").reset();
    watch(job);
  } catch (error) {
    say(status, errorText(error), "error");
  }
}

function watch(job) {
  clearTimeout(polling);
  watched = job;
  showJob(job);
  list();
  if (!ended(job)) polling = setTimeout(poll, POLL_MS);
}

async function poll() {
  try {
    const job = await call("GET", `/jobs/${watched.id}`);
    watched = job;
    showJob(job);
    if (ended(job)) list();
    else polling = setTimeout(poll, POLL_MS);
  } catch (error) {
    say(document.getElementById("batch-status"), errorText(error), "error");
  }
}

function ended(job) {
  return job.state === "done" || job.state === "failed";
}

/** The progress panel: state, a bar with rows done of all, alerting rows, downloads. */
function showJob(job) {
  const panel = document.getElementById("batch-current");
  panel.hidden = false;
  panel.dataset.state = job.state;
  panel.dataset.jobId = String(job.id);
  document.getElementById("batch-current-title").textContent = t("batch.job", { id: job.id, name: job.file_name });
  const bar = document.getElementById("batch-progress");
  const total = job.rows_total || 0;
  const done = job.state === "done" ? total : job.rows_done || 0;
  bar.max = Math.max(total, 1);
  bar.value = done;
  const counts = { done: done.toLocaleString(), total: total.toLocaleString(), alerts: (job.alert_rows || 0).toLocaleString() };
  let text;
  if (job.state === "queued") text = t("batch.queued");
  else if (job.state === "running") text = t(`batch.phase.${job.phase || "reading"}`, counts);
  else if (job.state === "done") {
    text = t("batch.done", { ...counts, errors: (job.error_rows || 0).toLocaleString(), cases: job.cases_opened || 0 });
  } else text = t("batch.failed", { error: job.error || "" });
  const line = document.getElementById("batch-progress-text");
  line.textContent = text;
  line.dataset.kind = job.state === "failed" ? "error" : job.state === "done" ? "ok" : "info";
  document.getElementById("batch-downloads").replaceChildren(...(job.state === "done" ? downloadButtons(job) : []));
}

function downloadButtons(job) {
  return [
    ["csv", "batch.download_csv"],
    ["xlsx", "batch.download_xlsx"],
  ].map(([format, key]) =>
    el("button", { type: "button", textContent: t(key), "data-format": format, onclick: () => save(job, format) }),
  );
}

/** Fetches a result with the key and hands it to the browser as a download. */
async function save(job, format) {
  const status = document.getElementById("batch-status");
  try {
    const blob = await download(`/jobs/${job.id}/result?format=${format}`);
    const stem = job.file_name.replace(/\.[^.]*$/, "");
    const link = el("a", { href: URL.createObjectURL(blob), download: `${stem}.result.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    say(status, errorText(error), "error");
  }
}

async function list() {
  const area = document.getElementById("batch-list");
  try {
    const answer = await call("GET", withQuery("/jobs", { limit: PAGE_SIZE }));
    const jobs = answer.jobs || [];
    area.replaceChildren(jobs.length ? jobTable(jobs) : el("p", { className: "help", textContent: t("batch.none") }));
  } catch (error) {
    area.replaceChildren();
    say(document.getElementById("batch-status"), errorText(error), "error");
  }
}

function jobTable(jobs) {
  const columns = ["batch.col.id", "batch.col.file", "batch.col.submitted", "batch.col.state", "batch.col.rows", "batch.col.alerts", "batch.col.result"];
  const { node, body } = table("batch.list", columns, "jobs");
  for (const job of jobs) {
    const rows = job.rows_total == null ? "" : `${(job.state === "done" ? job.rows_total : job.rows_done || 0).toLocaleString()} / ${job.rows_total.toLocaleString()}`;
    const state = el("span", { className: `badge state-${job.state}`, textContent: t(`batch.state.${job.state}`) });
    const result = job.state === "done" ? downloadButtons(job) : job.state === "failed" ? el("span", { className: "error-text", textContent: job.error || "" }) : "";
    body.append(
      el(
        "tr",
        { "data-job-id": String(job.id), "data-state": job.state },
        el("td", { className: "num", textContent: String(job.id) }),
        el("td", { textContent: job.file_name }),
        el("td", { textContent: localTime(job.submitted_at) }),
        el("td", {}, state),
        el("td", { className: "num", textContent: rows }),
        el("td", { className: "num", textContent: job.alert_rows == null ? "" : String(job.alert_rows) }),
        el("td", { className: "downloads" }, result),
      ),
    );
  }
  return node;
}
