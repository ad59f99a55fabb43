// Uploads: a drop zone and a file button, one progress bar per file, and what each upload is for.

import { upload } from "./api.js";
import { h, id, announce } from "./dom.js";
import { bytes, seconds } from "./format.js";

/** What an upload of each kind can be used as in a job (the first is the default). */
export const ROLES = {
  video: [["footage", "Scene footage"]],
  image: [["footage", "Scene footage"]],
  audio: [["music", "Background music"], ["voiceover", "Voiceover"]],
  words: [["words", "Voiceover word timings"]],
};

/**
 * The upload area. `list()` gives the finished uploads as {upload, role}; `busy()` whether any is
 * still sending. `accept` narrows the file chooser (e.g. "video/*,image/*"); `multiple` allows several.
 */
export function uploadArea({ label = "Your own files", accept = "", multiple = true, onChange = () => {}, roles = ROLES } = {}) {
  const entries = [];
  const inputID = id("files");
  // The label is the keyboard's way in (Enter or Space); the input itself takes no second tab stop.
  const input = h("input", { id: inputID, type: "file", multiple, accept: accept || null, class: "visually-hidden", tabindex: "-1" });
  const items = h("ul", { class: "uploads", "aria-label": "Uploads" });
  const zone = h("div", { class: "dropzone" },
    h("p", {}, "Drag and drop files here, or "),
    h("label", { for: inputID, class: "button", tabindex: "0", role: "button",
      onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); } } },
    "Choose files…"),
    input);

  const send = (file) => {
    const bar = h("progress", { max: "1", value: "0", "aria-label": `Uploading ${file.name}` });
    const state = h("span", { class: "muted" }, "uploading…");
    const row = h("li", {}, h("strong", {}, file.name), h("span", { class: "muted" }, bytes(file.size)), bar, state);
    items.append(row);
    const entry = { upload: null, role: null, busy: true };
    entries.push(entry);
    onChange();
    upload(file, (fraction) => { bar.value = fraction; }).then((result) => {
      entry.upload = result;
      entry.busy = false;
      const choices = roles[result.kind] || [];
      entry.role = choices.length ? choices[0][0] : null;
      const detail = [result.kind, result.duration ? seconds(result.duration) : null,
        result.width ? `${result.width}×${result.height}` : null].filter(Boolean).join(", ");
      state.textContent = detail;
      if (choices.length > 1) {
        const selectID = id("role");
        const select = h("select", { id: selectID, onchange: () => { entry.role = select.value; onChange(); } },
          choices.map(([value, text]) => h("option", { value }, text)));
        row.append(h("label", { for: selectID, class: "visually-hidden" }, `Use ${file.name} as`), select);
      } else if (choices.length === 1) {
        row.append(h("span", {}, `→ ${choices[0][1]}`));
      }
      row.dataset.uploaded = result.id;
      announce(`${file.name} uploaded`);
      onChange();
    }).catch((error) => {
      entry.busy = false;
      entries.splice(entries.indexOf(entry), 1);
      state.textContent = "";
      row.append(h("span", { class: "error", role: "alert" }, error.message));
      onChange();
    });
  };

  input.addEventListener("change", () => { for (const file of input.files) send(file); input.value = ""; });
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    for (const file of event.dataTransfer.files) send(file);
  });

  const element = h("div", { class: "upload-area" }, h("p", { class: "label" }, label), zone, items);
  return {
    element,
    list: () => entries.filter((entry) => entry.upload),
    busy: () => entries.some((entry) => entry.busy),
  };
}
