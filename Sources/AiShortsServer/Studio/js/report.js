// The run report made readable: stage times as a bar chart, peak memory against the budget, cache
// hits, models loaded, and what the footage stage did.

import { h } from "./dom.js";
import { seconds, bytes } from "./format.js";

const ORDER = ["script", "preflight", "narration", "footage", "captions", "render", "probe"];

function stageChart(stages) {
  const names = Object.keys(stages || {}).sort((a, b) => {
    const x = ORDER.indexOf(a);
    const y = ORDER.indexOf(b);
    return (x < 0 ? 99 : x) - (y < 0 ? 99 : y);
  });
  const longest = Math.max(0.001, ...names.map((name) => stages[name].wallSeconds || 0));
  return h("ul", { class: "chart", "aria-label": "Time per stage" }, names.map((name) => {
    const value = stages[name].wallSeconds || 0;
    return h("li", { "data-stage-time": name },
      h("span", {}, name),
      h("div", { class: "bar", style: null, role: "img", "aria-label": `${name}: ${seconds(value)}`, "data-width": String(value / longest) }),
      h("span", { class: "value" }, seconds(value)));
  }));
}

function memory(report) {
  const peak = report.total?.peakTreeRSSBytes || 0;
  const budget = report.memoryBudgetBytes;
  if (!budget) return h("p", {}, `Peak memory ${bytes(peak)}.`);
  const share = Math.min(1, peak / budget);
  const meter = h("div", { class: `meter${peak > budget ? " over" : ""}`, role: "meter", "aria-valuemin": "0",
    "aria-valuemax": String(budget), "aria-valuenow": String(peak), "aria-label": "Peak memory against the budget" },
  h("div", { "data-width": String(share) }));
  return h("div", {}, h("p", {}, `Peak memory ${bytes(peak)} of the server's ${bytes(budget)} budget (${Math.round(peak / budget * 100)} %).`), meter);
}

function caches(report) {
  const rows = Object.entries(report.caches || {}).sort(([a], [b]) => a.localeCompare(b));
  if (!rows.length) return h("p", { class: "muted" }, "No caches were used.");
  return h("table", { class: "caches", "aria-label": "Cache hits" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Cache"), h("th", { scope: "col" }, "Hits"), h("th", { scope: "col" }, "Misses"))),
    h("tbody", {}, rows.map(([name, count]) => h("tr", { "data-cache": name },
      h("th", { scope: "row" }, name), h("td", { "data-hits": "" }, String(count.hits ?? 0)), h("td", {}, String(count.misses ?? 0))))));
}

function models(report) {
  if (!(report.models || []).length) return h("p", { class: "muted" }, "No neural models were loaded.");
  return h("ul", {}, report.models.map((model) =>
    h("li", {}, `${model.name} (${model.path}): loaded ${model.loads}× in ${seconds(model.loadSeconds)}, used by ${model.sharedUses ?? 0} other job(s)`)));
}

function footage(report) {
  const f = report.footage;
  if (!f) return null;
  return h("div", {}, h("h3", {}, "Footage search"),
    h("p", {}, `Scorer: ${f.scorer}${f.scorerNote ? ` (${f.scorerNote})` : ""}. ${f.candidates} candidate(s); searches ${f.searches?.hits ?? 0} cached of ${(f.searches?.hits ?? 0) + (f.searches?.misses ?? 0)}; downloads ${f.downloads?.hits ?? 0} cached of ${(f.downloads?.hits ?? 0) + (f.downloads?.misses ?? 0)}.`),
    (f.problems || []).length ? h("ul", { class: "notes" }, f.problems.map((line) => h("li", {}, line))) : null);
}

/** The report's sections, for the result page. */
export function reportSections(report) {
  const section = h("section", { class: "report", "aria-label": "Run report" },
    h("h2", {}, "How it was made"),
    h("p", {}, `${seconds(report.total?.wallSeconds)} in all, ${seconds(report.total?.cpuSeconds)} of CPU.`),
    stageChart(report.stages),
    h("h3", {}, "Memory"), memory(report),
    h("h3", {}, "Cache hits"), caches(report),
    h("h3", {}, "Models"), models(report),
    footage(report));
  // Widths are set from script (the CSP forbids inline style attributes).
  for (const bar of section.querySelectorAll("[data-width]")) bar.style.width = `${Math.round(Number(bar.dataset.width) * 100)}%`;
  return section;
}
