// One job's page: its draft editor, its live progress, or its result, whichever state it is in.
// The page follows the job without reloading: when the watched job ends, the result (or the
// failure) replaces the progress in place.

import { call } from "./api.js";
import { h, replace, announce } from "./dom.js";
import { when } from "./format.js";
import { showDraft } from "./draft.js";
import { showWatch } from "./watch.js";
import { showResult } from "./result.js";

/** A job's title line and state badge. */
export function jobHeading(job) {
  return h("div", { class: "job-heading" },
    h("h1", {}, job.title || "Untitled short"),
    h("p", {},
      h("span", { class: `state state-${job.state}`, "data-state": job.state }, job.state),
      " ", h("span", { class: "muted" }, `made ${when(job.created_at)} · job ${job.id}`)));
}

/** Shows job `id` in `main`; returns {leave} to stop its streams when another screen opens. */
export function showJob(main, id) {
  const controller = new AbortController();
  let current = { leave() {} };

  async function render() {
    current.leave();
    let job;
    try {
      job = await call(`/jobs/${id}`, { signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(main, h("h1", {}, "Job"), h("p", { class: "error", role: "alert" }, error.message),
        h("p", {}, h("a", { href: "#/jobs" }, "All jobs")));
      return;
    }
    if (controller.signal.aborted) return;
    const body = h("div", {});
    replace(main, jobHeading(job), body);
    const context = { job, signal: controller.signal, reload: render };
    if (job.state === "draft") current = showDraft(body, context);
    else if (job.state === "succeeded") current = showResult(body, context);
    else current = showWatch(body, context);
    current = current || { leave() {} };
    announce(`Job ${job.title || id} is ${job.state}`);
  }

  render();
  return { leave() { controller.abort(); current.leave(); } };
}
