// New short: the words (a topic, a category, or a script, with the person's own footage and
// voiceover if they have them) and the options; then the job is queued and its page opened.

import { call } from "./api.js";
import { h, id, replace } from "./dom.js";
import { voicePicker } from "./voices.js";
import { uploadArea, ROLES } from "./uploads.js";
import { spokenSeconds, clock } from "./format.js";

const SOURCES = [["topic", "Topic"], ["category", "Category"], ["script", "Script"]];
const FOOTAGE = [["pexels", "Pexels"], ["pixabay", "Pixabay"], ["library", "Server library"], ["youtube", "YouTube"]];
const PRESETS = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium"];
// Suggestions only: any BCP 47 tag may be typed.
const LANGUAGES = [["en-US", "English (US)"], ["en-GB", "English (UK)"], ["pt-BR", "Português (Brasil)"], ["pt-PT", "Português (Portugal)"],
  ["es", "Español"], ["es-419", "Español (Latinoamérica)"], ["fr", "Français"], ["de", "Deutsch"], ["it", "Italiano"],
  ["ja", "日本語"], ["zh-CN", "中文（简体）"], ["ko", "한국어"], ["hi", "हिन्दी"], ["ar", "العربية"], ["he", "עברית"], ["th", "ไทย"]];

function field(label, control, hint) {
  control.id = control.id || id("field");
  return h("div", {}, h("label", { for: control.id }, label), control, hint ? h("p", { class: "hint" }, hint) : null);
}

/** The script's paragraphs, one scene each (as the server splits a pasted script). */
function paragraphs(text) {
  return text.split(/\n\s*\n/).map((part) => part.replace(/\s+/g, " ").trim()).filter(Boolean);
}

/** Shows the screen in `main`. */
export function showNewShort(main) {
  let source = "topic";
  const topic = h("input", { type: "text", name: "topic", maxlength: "2000", placeholder: "ants that farm fungus" });
  const category = h("input", { type: "text", name: "category", maxlength: "2000", placeholder: "space facts" });
  const script = h("textarea", { name: "script", rows: "8", placeholder: "One paragraph per scene.\n\nA blank line starts the next scene." });
  const scriptLength = h("p", { class: "hint", "aria-live": "polite" });
  // Sound dropped beside the script is most likely its voiceover; it can be switched to music.
  const own = uploadArea({ label: "Your own footage and voiceover (optional): clips and pictures go to the scenes in order",
    roles: { ...ROLES, audio: [["voiceover", "Voiceover"], ["music", "Background music"]] } });
  script.addEventListener("input", () => {
    const scenes = paragraphs(script.value);
    scriptLength.textContent = scenes.length ? `${scenes.length} scene(s), about ${clock(spokenSeconds(scenes))} spoken` : "";
  });
  const panes = {
    topic: h("div", {}, field("Topic", topic, "The language model writes the script (the server needs an LLM configured).")),
    category: h("div", {}, field("Category", category, "A theme; the language model picks a topic in it and writes the script.")),
    script: h("div", {}, field("Script", script), scriptLength, own.element),
  };
  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": "Where the words come from" });
  const paneBox = h("div", { role: "tabpanel" });
  const selectSource = (name, focus = false) => {
    source = name;
    for (const button of tabs.children) {
      const selected = button.dataset.source === name;
      button.setAttribute("aria-selected", String(selected));
      button.tabIndex = selected ? 0 : -1;
      if (selected && focus) button.focus();
    }
    replace(paneBox, panes[name]);
    paneBox.setAttribute("aria-labelledby", `tab-${name}`);
  };
  for (const [name, text] of SOURCES) {
    tabs.append(h("button", { type: "button", role: "tab", id: `tab-${name}`, dataset: { source: name }, onclick: () => selectSource(name) }, text));
  }
  tabs.addEventListener("keydown", (event) => {
    const names = SOURCES.map(([name]) => name);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    selectSource(names[(names.indexOf(source) + step + names.length) % names.length], true);
  });

  const title = h("input", { type: "text", name: "title", maxlength: "200", placeholder: "(from the script)" });
  const voices = voicePicker();
  // A BCP 47 tag; the server checks it (and that the voice speaks it) and says what is wrong.
  const languagesID = id("languages");
  const language = h("input", { type: "text", name: "language", maxlength: "35", list: languagesID, placeholder: "en-US", autocomplete: "off" });
  const languageList = h("datalist", { id: languagesID }, LANGUAGES.map(([tag, name]) => h("option", { value: tag }, name)));
  language.addEventListener("change", () => voices.setLanguage(language.value.trim()));
  const aspectName = id("aspect");
  const aspects = h("fieldset", {}, h("legend", {}, "Aspect"), h("div", { class: "choices" },
    [["9:16", "Vertical 9:16"], ["1:1", "Square 1:1"], ["16:9", "Wide 16:9"]].map(([value, text], index) =>
      h("label", {}, h("input", { type: "radio", name: aspectName, value, checked: index === 0 }), text))));
  const duration = h("input", { type: "number", name: "duration", min: "10", max: "180", step: "5", placeholder: "as the script runs" });
  const preset = h("select", { name: "preset" }, h("option", { value: "" }, "Server default (veryfast)"),
    PRESETS.map((name) => h("option", { value: name }, name)));
  const music = uploadArea({ label: "Music (optional)", accept: "audio/*", multiple: false, roles: { audio: [["music", "Background music"]] } });
  const volume = h("input", { type: "number", name: "volume", min: "0", max: "1", step: "0.05", value: "0.2" });
  const footage = h("fieldset", {}, h("legend", {}, "Footage sources for scenes without footage"), h("div", { class: "choices" },
    FOOTAGE.map(([value, text]) => h("label", {}, h("input", { type: "checkbox", name: "footage", value, checked: value !== "youtube" }), text))),
  h("p", { class: "hint" }, "Pexels and Pixabay need their API keys on the server (skipped otherwise, the run report says so); the library is searched in the folders a spec names; YouTube needs you to check the footage's rights. A scene nothing fits gets a generated background."));
  const draft = h("input", { type: "checkbox", name: "draft", id: id("draft") });
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary" }, "Make the short");

  const form = h("form", { class: "panel", novalidate: true, "aria-labelledby": "new-title" },
    tabs, paneBox,
    h("h2", {}, "Options"),
    h("div", { class: "grid" }, field("Title", title),
      field("Language", language, "The script's language: pt-BR, es, ja…; empty: English"), languageList, voices.element, field("Target length (seconds)", duration, "10 to 180; empty: as long as the words"),
      field("Quality", preset, "Faster presets make bigger files sooner")),
    aspects, footage,
    h("div", { class: "grid" }, music.element, field("Music volume", volume)),
    h("label", { for: draft.id, class: "inline" }, draft, " Let me edit the script before it is rendered (draft)"),
    problem,
    h("div", { class: "actions" }, submit));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.hidden = true;
    if (own.busy() || music.busy()) { show("Wait for the uploads to finish."); return; }
    let body;
    try { body = request(); } catch (error) { show(error.message); return; }
    submit.disabled = true;
    try {
      const job = await call("/jobs", { method: "POST", json: body });
      location.hash = `#/jobs/${job.id}`;
    } catch (error) {
      show(error.field ? `${error.message} (${error.field})` : error.message);
    } finally {
      submit.disabled = false;
    }
  });

  function show(message) {
    problem.textContent = message;
    problem.hidden = false;
    problem.focus?.();
  }

  /** The POST /jobs body from the form. */
  function request() {
    const options = {};
    if (title.value.trim()) options.title = title.value.trim();
    if (voices.select.value) options.voice = voices.select.value;
    if (language.value.trim()) options.language = language.value.trim();
    options.aspect = form.querySelector(`input[name="${aspectName}"]:checked`).value;
    if (duration.value) options.duration = Number(duration.value);
    if (preset.value) options.preset = preset.value;
    options.footage = { sources: [...footage.querySelectorAll("input:checked")].map((box) => box.value) };
    if (!options.footage.sources.length) delete options.footage;
    const song = music.list()[0] || (source === "script" ? own.list().find((entry) => entry.role === "music") : undefined);
    if (song) options.music = { upload: song.upload.id, volume: Number(volume.value || 0.2) };
    if (draft.checked) options.draft = true;
    if (source === "topic" || source === "category") {
      const text = (source === "topic" ? topic : category).value.trim();
      if (!text) throw new Error(`Write a ${source} first.`);
      return { [source]: text, ...options };
    }
    const scenes = paragraphs(script.value);
    if (!scenes.length) throw new Error("Paste a script first: one paragraph per scene.");
    // Without a title the short is named after its first words, as the placeholder promises.
    if (!options.title) options.title = scenes[0].split(" ").slice(0, 8).join(" ").replace(/[.,;:!?]+$/, "");
    const uploads = own.list();
    const clips = uploads.filter((entry) => entry.role === "footage");
    const voiceover = uploads.find((entry) => entry.role === "voiceover");
    const words = uploads.find((entry) => entry.role === "words");
    if (!clips.length && !voiceover) return { script: script.value, ...options };
    // Own footage or voiceover: the script becomes a spec whose scenes name the uploads.
    if (voiceover && !words) throw new Error("A voiceover needs its word timings too (a JSON or SRT file).");
    const spec = {
      title: options.title,
      scenes: scenes.map((text) => ({ text })),
    };
    clips.forEach((entry, index) => {
      const scene = spec.scenes[index % spec.scenes.length];
      (scene.media = scene.media || []).push(entry.upload.ref);
    });
    if (voiceover) spec.voiceover = { audio: voiceover.upload.ref, words: words.upload.ref };
    // In the spec itself, the music stays with the short when its spec is edited and rendered again.
    if (options.music) {
      spec.music = { file: `upload:${options.music.upload}`, volume: options.music.volume };
      delete options.music;
    }
    return { spec, ...options };
  }

  replace(main, h("h1", { id: "new-title" }, "New short"), form);
  selectSource("topic");
  return {};
}
