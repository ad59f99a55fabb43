// The result: the video in a player at the short's aspect, download, poster, the readable report,
// and each scene's footage with a way to swap it and render again.

import { call, fileURL } from "./api.js";
import { h, replace } from "./dom.js";
import { between, seconds, bytes } from "./format.js";
import { reportSections } from "./report.js";
import { sceneSwapper } from "./swap.js";
import { showDraft } from "./draft.js";

function aspectOf(report) {
  const width = report?.video?.width;
  const height = report?.video?.height;
  if (!width || !height) return "9:16";
  if (width === height) return "1:1";
  return width > height ? "16:9" : "9:16";
}

export function showResult(body, context) {
  const { job } = context;
  const report = job.report || {};
  const video = h("video", { controls: true, preload: "metadata", playsinline: true, "aria-label": `The short: ${job.title || "video"}` });
  const download = h("a", { class: "button primary", download: `${(job.title || "short").replace(/[^\w\- ]+/g, "").trim() || "short"}.mp4` }, "Download MP4");
  const poster = h("img", { alt: "Poster frame of the short" });
  const posterLink = h("a", { class: "button", download: "poster.jpg" }, "Download poster");
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  // The finish time marks each render's files, so a browser never shows a cached earlier render.
  const version = `?v=${encodeURIComponent(job.finished_at || "")}`;
  Promise.all([fileURL(`/jobs/${job.id}/video${version}`), fileURL(`/jobs/${job.id}/poster${version}`)]).then(([videoURL, posterURL]) => {
    video.src = videoURL;
    download.href = videoURL;
    poster.src = posterURL;
    posterLink.href = posterURL;
  }).catch((error) => { problem.textContent = error.message; problem.hidden = false; });

  const facts = h("ul", { class: "facts" },
    h("li", {}, `Length ${seconds(report.video?.duration)} · ${report.video?.width}×${report.video?.height} · ${bytes(report.video?.bytes)}`),
    h("li", {}, `Voice: ${report.voice || "–"}`),
    h("li", {}, `Made in ${seconds(between(job.started_at, job.finished_at))}`));

  const editor = h("div", {});
  const edit = h("button", { type: "button" }, "Edit the script and render again");
  edit.addEventListener("click", () => {
    edit.hidden = true;
    replace(editor);
    showDraft(editor, context);
    editor.querySelector("textarea")?.focus();
  });

  body.append(h("div", { class: "result" },
    h("section", { class: "player", "data-aspect": aspectOf(report), "aria-label": "Video" },
      video, h("div", { class: "actions" }, download, posterLink), problem,
      h("div", { class: "poster" }, h("h2", {}, "Poster"), poster)),
    h("section", { "aria-label": "About this short" }, facts, h("div", { class: "actions" }, edit), editor,
      sceneSwapper(context), reportSections(report))));
  return { leave() {} };
}
