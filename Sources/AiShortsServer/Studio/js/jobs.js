// All jobs: state, title, length, when, how long it took; filtered by state or words in the title;
// retry and delete. Refreshes itself while jobs are moving.

import { call } from "./api.js";
import { h, id, replace, announce } from "./dom.js";
import { seconds, when, between } from "./format.js";

const STATES = ["queued", "running", "draft", "succeeded", "failed", "cancelled"];

export function showJobs(main) {
  const stateID = id("state");
  const searchID = id("search");
  const state = h("select", { id: stateID }, h("option", { value: "" }, "Any state"), STATES.map((name) => h("option", { value: name }, name)));
  const search = h("input", { type: "search", id: searchID, placeholder: "words in the title" });
  const body = h("tbody", {});
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  const more = h("button", { type: "button", hidden: true }, "Show older jobs");
  let jobs = [];
  let cursor = null;
  let timer = null;
  let stopped = false;

  function action(label, text, handler, className = "") {
    const button = h("button", { type: "button", class: className, "aria-label": label }, text);
    button.addEventListener("click", async () => {
      button.disabled = true;
      try { await handler(); await load(); } catch (error) { showProblem(error.message); button.disabled = false; }
    });
    return button;
  }

  function row(job) {
    const title = job.title || "Untitled short";
    const actions = [];
    if (job.state === "failed" || job.state === "cancelled") {
      actions.push(action(`Retry ${title}`, "Retry", () => call(`/jobs/${job.id}/retry`, { method: "POST" })));
    }
    if (job.state !== "running") {
      actions.push(action(`Delete ${title}`, "Delete", async () => {
        if (!confirm(`Delete "${title}" and its files?`)) throw new Error("");
        await call(`/jobs/${job.id}`, { method: "DELETE" });
        announce(`${title} deleted`);
      }, "danger"));
    }
    return h("tr", { "data-job": job.id, "data-state": job.state },
      h("td", {}, h("a", { href: `#/jobs/${job.id}` }, title),
        job.error ? h("div", { class: "error", "data-error": "" }, job.error.message) : null),
      h("td", {}, h("span", { class: `state state-${job.state}` }, job.state),
        job.state === "running" && job.stage ? h("span", { class: "muted" }, ` ${job.stage} ${Math.round(job.fraction * 100)}%`) : null),
      h("td", {}, seconds(job.report?.video?.duration)),
      h("td", {}, when(job.created_at)),
      h("td", {}, job.finished_at && job.started_at ? seconds(between(job.started_at, job.finished_at)) : "–"),
      h("td", { class: "actions-cell" }, actions));
  }

  function draw() {
    const words = search.value.trim().toLowerCase();
    const shown = jobs.filter((job) => !words || (job.title || "").toLowerCase().includes(words));
    replace(body, shown.length ? shown.map(row)
      : h("tr", {}, h("td", { colspan: "6", class: "muted" }, jobs.length ? "No job matches." : "No jobs yet. ", jobs.length ? null : h("a", { href: "#/new" }, "Make a short"))));
    more.hidden = !cursor;
  }

  function showProblem(message) {
    problem.textContent = message;
    problem.hidden = !message;
  }

  async function load(append = false) {
    const query = new URLSearchParams();
    if (state.value) query.set("state", state.value);
    if (append && cursor) query.set("cursor", cursor);
    try {
      const page = await call(`/jobs?${query}`);
      jobs = append ? jobs.concat(page.jobs) : page.jobs;
      cursor = page.next_cursor;
      showProblem("");
      draw();
    } catch (error) {
      showProblem(error.message);
    }
    clearTimeout(timer);
    if (!stopped && jobs.some((job) => job.state === "queued" || job.state === "running")) timer = setTimeout(() => load(), 3000);
  }

  state.addEventListener("change", () => load());
  search.addEventListener("input", draw);
  more.addEventListener("click", () => load(true));

  replace(main, h("h1", {}, "All jobs"),
    h("div", { class: "filters" },
      h("div", {}, h("label", { for: stateID }, "State"), state),
      h("div", {}, h("label", { for: searchID }, "Title"), search),
      h("a", { class: "button primary", href: "#/new" }, "New short")),
    problem,
    h("div", { class: "panel" }, h("table", { class: "jobs" },
      h("caption", { class: "visually-hidden" }, "Jobs, newest first"),
      h("thead", {}, h("tr", {}, ["Title", "State", "Length", "Made", "Took", "Actions"].map((name) => h("th", { scope: "col" }, name)))),
      body)),
    more);
  load();
  return { leave() { stopped = true; clearTimeout(timer); } };
}
