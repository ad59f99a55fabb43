// Watching a job: each stage with a live progress bar and its ETA, the notes as they come, the
// elapsed time, and cancel; for a failed or cancelled job, its one-line error, retry and delete.

import { call } from "./api.js";
import { follow } from "./events.js";
import { h, replace, announce } from "./dom.js";
import { between, clock, seconds } from "./format.js";

/** What each stage does, for people who do not know the pipeline. */
const LABELS = {
  script: "Writing the script", preflight: "Checking", narration: "Narration", footage: "Footage",
  captions: "Captions", render: "Rendering", probe: "Checking the video",
};

export function showWatch(body, { job, signal, reload }) {
  const live = !["failed", "cancelled"].includes(job.state);
  const stages = new Map();
  const list = h("ol", { class: "stages", "aria-label": "Stages" });
  const notes = h("ul", { class: "notes", "aria-label": "Notes", "aria-live": "polite" });
  const elapsed = h("span", { "data-elapsed": "" }, "–");
  const trouble = h("p", { class: "error", role: "alert", hidden: true });
  const stateLine = h("p", {}, "State: ", h("strong", { "data-live-state": "" }, job.state), " · elapsed ", elapsed);
  const actions = h("div", { class: "actions" });
  let startedAt = job.started_at ? new Date(job.started_at).getTime() : null;

  function row(stage) {
    if (stages.has(stage)) return stages.get(stage);
    const fill = h("div", { class: "fill" });
    const bar = h("div", { class: "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0",
      "aria-label": `${LABELS[stage] || stage} progress` }, fill);
    const info = h("span", { class: "when" }, "started");
    const item = h("li", { class: "stage", "data-stage": stage }, h("span", {}, LABELS[stage] || stage), bar, info);
    list.append(item);
    const entry = { item, bar, fill, info };
    stages.set(stage, entry);
    return entry;
  }

  function progress(stage, fraction, eta) {
    const entry = row(stage);
    const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    entry.fill.style.width = `${percent}%`;
    entry.bar.setAttribute("aria-valuenow", String(percent));
    entry.info.textContent = eta !== null && eta !== undefined && percent < 100 ? `${percent}% · ${clock(eta)} left` : `${percent}%`;
  }

  function onEvent({ event, data }) {
    if (event === "state") {
      stateLine.querySelector("[data-live-state]").textContent = data.state;
      if (data.state === "queued") { stages.clear(); list.replaceChildren(); notes.replaceChildren(); startedAt = null; }
      if (data.state === "running") { startedAt = startedAt || Date.now(); tick(); }
      announce(`Job ${data.state}`);
    } else if (event === "stage.started") {
      row(data.stage);
      progress(data.stage, 0, null);
    } else if (event === "stage.progress") {
      if (typeof data.fraction === "number") progress(data.stage, data.fraction, data.eta_seconds);
      if (data.message) notes.append(h("li", {}, `${LABELS[data.stage] || data.stage}: ${data.message}`));
    } else if (event === "stage.finished") {
      progress(data.stage, 1, null);
      const entry = row(data.stage);
      entry.item.classList.add("done");
      entry.info.textContent = typeof data.wall_seconds === "number" ? `done in ${seconds(data.wall_seconds)}` : "done";
      announce(`${LABELS[data.stage] || data.stage} done`);
    } else if (event === "note") {
      notes.append(h("li", {}, data.message || JSON.stringify(data)));
    }
  }

  // A finished job's elapsed time is fixed; a live one's grows each second.
  const tick = () => {
    if (!live) elapsed.textContent = clock(between(job.started_at, job.finished_at));
    else if (startedAt) elapsed.textContent = clock((Date.now() - startedAt) / 1000);
  };
  tick();
  const timer = setInterval(tick, 1000);

  if (live) {
    const cancel = h("button", { type: "button", class: "danger" }, "Cancel");
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      try { await call(`/jobs/${job.id}/cancel`, { method: "POST" }); } catch (error) { showTrouble(error.message); cancel.disabled = false; }
    });
    actions.append(cancel);
  } else {
    const failure = job.error ? h("div", { class: "failure", role: "alert" },
      h("strong", {}, job.state === "failed" ? "The job failed: " : "Stopped: "), h("span", { "data-error": "" }, job.error.message))
      : h("div", { class: "failure", role: "status" }, h("span", { "data-error": "" }, `The job was ${job.state}.`));
    body.append(failure);
    const retry = h("button", { type: "button", class: "primary" }, "Retry");
    retry.addEventListener("click", async () => {
      retry.disabled = true;
      try { await call(`/jobs/${job.id}/retry`, { method: "POST" }); reload(); } catch (error) { showTrouble(error.message); retry.disabled = false; }
    });
    const remove = h("button", { type: "button", class: "danger" }, "Delete");
    remove.addEventListener("click", async () => {
      if (!confirm("Delete this job and its files?")) return;
      try { await call(`/jobs/${job.id}`, { method: "DELETE" }); location.hash = "#/jobs"; } catch (error) { showTrouble(error.message); }
    });
    actions.append(retry, remove);
  }

  function showTrouble(message) {
    trouble.textContent = message || "";
    trouble.hidden = !message;
  }

  body.append(stateLine, trouble, h("h2", {}, "Stages"), list, h("h2", {}, "Notes"), notes, actions);
  follow(job.id, { onEvent, onTrouble: showTrouble, signal })
    .then(() => { if (live && !signal.aborted) reload(); })
    .catch((error) => showTrouble(error.message));
  return { leave() { clearInterval(timer); } };
}
