// The draft editor: the spec's scenes, one card each — narration and search phrases editable,
// reordered, added, deleted — with the estimated length updated as the person types; then Render.

import { call } from "./api.js";
import { h, id, replace, announce } from "./dom.js";
import { clock, spokenSeconds } from "./format.js";

/** A scene as an object (a spec may write a scene as plain text). */
function normalise(scene) {
  return typeof scene === "string" ? { text: scene } : { ...scene };
}

function list(value) {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Shows the editor for `job`'s spec in `body`. */
export function showDraft(body, { job, signal, reload }) {
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  const estimate = h("p", { class: "estimate", "aria-live": "polite", "data-estimate": "" });
  const cards = h("ol", { class: "scene-list", "aria-label": "Scenes" });
  let spec = null;
  let scenes = [];

  const speed = () => (spec && typeof spec.voice === "object" && spec.voice && spec.voice.speed) || 1;
  function updateEstimate() {
    const seconds = spokenSeconds(scenes.map((scene) => scene.text || ""), speed());
    estimate.textContent = `Estimated length: ${clock(seconds)} (${scenes.length} scene${scenes.length === 1 ? "" : "s"})`;
  }

  function move(index, step) {
    const target = index + step;
    if (target < 0 || target >= scenes.length) return;
    [scenes[index], scenes[target]] = [scenes[target], scenes[index]];
    draw(target);
    announce(`Scene moved to position ${target + 1}`);
  }

  function card(scene, index) {
    const textID = id("text");
    const queriesID = id("queries");
    const text = h("textarea", { id: textID, rows: "3", "data-scene-text": String(index + 1), value: scene.text || "" });
    text.addEventListener("input", () => { scene.text = text.value; updateEstimate(); });
    const queries = h("input", { type: "text", id: queriesID, value: list(scene.queries).join(", ") });
    queries.addEventListener("input", () => {
      scene.queries = queries.value.split(",").map((part) => part.trim()).filter(Boolean);
    });
    const media = list(scene.media);
    const tool = (label, text, action, disabled = false) =>
      h("button", { type: "button", "aria-label": `${label} scene ${index + 1}`, onclick: action, disabled }, text);
    return h("li", { class: "scene", "data-scene": String(index + 1) },
      h("header", {},
        h("h3", {}, `Scene ${index + 1}`),
        h("div", { class: "tools" },
          tool("Move up", "↑", () => move(index, -1), index === 0),
          tool("Move down", "↓", () => move(index, 1), index === scenes.length - 1),
          tool("Delete", "Delete", () => { scenes.splice(index, 1); draw(Math.min(index, scenes.length - 1)); announce("Scene deleted"); },
            scenes.length === 1))),
      h("label", { for: textID }, "Narration"), text,
      h("label", { for: queriesID }, "Search phrases (comma-separated)"), queries,
      media.length ? h("p", { class: "hint" }, `Footage: ${media.join(", ")} `,
        h("button", { type: "button", onclick: () => { delete scene.media; draw(index); } }, "Let the footage stage choose")) : null);
  }

  function draw(focusIndex = null) {
    replace(cards, scenes.map(card));
    updateEstimate();
    if (focusIndex !== null && focusIndex >= 0) cards.children[focusIndex]?.querySelector("textarea")?.focus();
  }

  function showProblem(error) {
    problem.textContent = error.field ? `${error.message}` : error.message;
    problem.hidden = false;
  }

  async function save() {
    problem.hidden = true;
    const next = { ...spec, scenes: scenes.map((scene) => {
      const out = { text: (scene.text || "").trim() };
      if (list(scene.media).length) out.media = list(scene.media);
      if (list(scene.queries).length) out.queries = list(scene.queries);
      return out;
    }) };
    await call(`/jobs/${job.id}/spec`, { method: "PUT", body: JSON.stringify(next), headers: { "Content-Type": "application/json" } });
    spec = next;
  }

  const add = h("button", { type: "button", "data-add-scene": "" }, "+ Add a scene");
  add.addEventListener("click", () => { scenes.push({ text: "" }); draw(scenes.length - 1); });
  const saveButton = h("button", { type: "button" }, "Save draft");
  saveButton.addEventListener("click", async () => {
    try { await save(); announce("Draft saved"); saveButton.textContent = "Saved"; setTimeout(() => { saveButton.textContent = "Save draft"; }, 1500); }
    catch (error) { showProblem(error); }
  });
  const render = h("button", { type: "button", class: "primary" }, "Render");
  render.addEventListener("click", async () => {
    render.disabled = true;
    try {
      await save();
      await call(`/jobs/${job.id}/render`, { method: "POST" });
      reload();
    } catch (error) {
      showProblem(error);
      render.disabled = false;
    }
  });

  body.append(h("h2", {}, "Script"), h("p", { class: "hint" }, "Edit the narration and search phrases; reorder, add or delete scenes. Unchanged scenes keep their cached narration and footage."),
    estimate, cards, h("div", { class: "actions" }, add, saveButton, render), problem);

  call(`/jobs/${job.id}/spec?format=json`, { signal }).then((value) => {
    spec = value;
    scenes = list(value.scenes).map(normalise);
    draw();
  }).catch((error) => { if (!signal.aborted) showProblem(error); });
  return { leave() {} };
}
