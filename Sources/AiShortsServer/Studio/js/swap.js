// Each scene's footage as rendered — a frame of it, where it came from, its score and the other
// candidates — and the swap: pin another candidate or an upload to the scene in the spec, render
// again; narration, searches and downloads of the other scenes come from the caches.

import { call, fileURL, upload } from "./api.js";
import { h, id, announce } from "./dom.js";
import { seconds } from "./format.js";

function list(value) {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Pins `media` (spec references) to scene `number` (1-based) of the job's spec and renders again. */
async function pinAndRender(job, number, media) {
  const spec = await call(`/jobs/${job.id}/spec?format=json`);
  const scenes = list(spec.scenes).map((scene) => (typeof scene === "string" ? { text: scene } : { ...scene }));
  if (!scenes[number - 1]) throw new Error(`the spec has no scene ${number}`);
  scenes[number - 1].media = media;
  spec.scenes = scenes;
  await call(`/jobs/${job.id}/spec`, { method: "PUT", body: JSON.stringify(spec), headers: { "Content-Type": "application/json" } });
  await call(`/jobs/${job.id}/render`, { method: "POST" });
}

function sceneRow(scene, context) {
  const { job, reload } = context;
  const number = scene.scene;
  const thumb = h("img", { alt: `Scene ${number}: ${scene.visuals?.join(", ") || scene.footage}`, loading: "lazy" });
  fileURL(`/jobs/${job.id}/scenes/${number}/thumbnail?v=${encodeURIComponent(job.finished_at || "")}`).then((url) => { thumb.src = url; }).catch(() => { thumb.alt = `Scene ${number} (no frame)`; });
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  const progress = h("progress", { max: "1", value: "0", hidden: true, "aria-label": `Uploading a clip for scene ${number}` });
  const fail = (error) => { problem.textContent = error.message; problem.hidden = false; progress.hidden = true; };

  const inputID = id("swap-file");
  const input = h("input", { type: "file", id: inputID, accept: "video/*,image/*", class: "visually-hidden", tabindex: "-1", "data-swap-upload": String(number) });
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    problem.hidden = true;
    progress.hidden = false;
    try {
      const result = await upload(file, (fraction) => { progress.value = fraction; });
      await pinAndRender(job, number, [result.ref]);
      announce(`Scene ${number} swapped; rendering again`);
      reload();
    } catch (error) { fail(error); }
  });

  const candidates = list(scene.candidates);
  // Each keeps its place in the report's list: the server's frame of candidate N is numbered so.
  const others = candidates.map((candidate, index) => ({ ...candidate, place: index + 1 })).filter((candidate) => !candidate.chosen);
  const candidateList = others.length ? h("div", {}, h("p", { class: "hint" }, "Other candidates considered:"),
    h("ul", { class: "candidates" }, others.map((candidate) => {
      const label = `${candidate.label} (${candidate.source}, score ${candidate.score.toFixed(3)})`;
      if (!candidate.media) {
        return h("li", {}, candidate.page ? h("a", { href: candidate.page, rel: "noopener noreferrer", target: "_blank" }, label) : label);
      }
      const picture = h("img", { alt: "", class: "candidate-frame" });
      fileURL(`/jobs/${job.id}/scenes/${number}/candidates/${candidate.place}/thumbnail?v=${encodeURIComponent(job.finished_at || "")}`)
        .then((url) => { picture.src = url; }).catch(() => picture.remove());
      const button = h("button", { type: "button", "data-candidate": candidate.media }, picture, `Use ${label}`);
      button.addEventListener("click", async () => {
        button.disabled = true;
        try { await pinAndRender(job, number, [candidate.media]); reload(); } catch (error) { fail(error); button.disabled = false; }
      });
      return h("li", {}, button);
    }))) : null;
  const chosen = candidates.find((candidate) => candidate.chosen);

  return h("div", { class: "scene-row", "data-scene-report": String(number) },
    thumb,
    h("div", {},
      h("h3", {}, `Scene ${number} · ${seconds(scene.start)}–${seconds(scene.start + scene.duration)}`),
      h("p", {}, h("strong", {}, "Footage: "), `${scene.footage}`, chosen ? ` — ${chosen.label}, score ${chosen.score.toFixed(3)}` : "",
        scene.visuals?.length ? ` (${scene.visuals.join(", ")})` : ""),
      h("p", { class: "hint" }, scene.note),
      candidateList,
      h("div", { class: "actions" },
        h("label", { for: inputID, class: "button", tabindex: "0", role: "button",
          onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); } } },
        `Swap scene ${number} for my own clip…`), input, progress),
      problem));
}

/** The scenes section of the result page. */
export function sceneSwapper(context) {
  const scenes = list(context.job.report?.scenes);
  return h("section", { class: "scenes-report", "aria-label": "Scenes and their footage" },
    h("h2", {}, "Scenes"),
    h("p", { class: "hint" }, "Swap a scene's footage and the short is rendered again; only what changed is redone."),
    scenes.map((scene) => sceneRow(scene, context)));
}
