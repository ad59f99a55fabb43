// The voice picker: the server's installed voices, and a two-second sample played in the page.

import { call, fileURL } from "./api.js";
import { h, id, announce } from "./dom.js";

/** Builds the picker; `.value` of the returned select is the chosen `engine:voice`, or empty for the
 *  language's default voice. */
export function voicePicker() {
  const selectID = id("voice");
  const select = h("select", { id: selectID, name: "voice" }, h("option", { value: "" }, "Loading voices…"));
  const player = h("audio", { class: "sample", preload: "auto", "aria-label": "Voice sample" });
  const button = h("button", { type: "button", "aria-describedby": selectID }, "▶ Play sample");
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  button.addEventListener("click", async () => {
    if (!select.value) return;
    button.disabled = true;
    problem.hidden = true;
    try {
      const path = `/voices/${encodeURIComponent(select.value).replace(/%3A/gi, ":")}/sample`;
      const source = await fileURL(path);
      player.src = source;
      player.dataset.voice = select.value;
      await player.play();
      announce(`Playing a sample of ${select.value}`);
    } catch (error) {
      problem.textContent = `No sample: ${error.message}`;
      problem.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  // Every installed voice; the select shows those of the chosen language, after its default.
  let installed = [];
  let language = "";
  function fill() {
    const wanted = primary(language || "en");
    const matching = installed.filter((voice) => (voice.languages || []).some((tag) => primary(tag) === wanted));
    const chosen = select.value;
    select.replaceChildren(h("option", { value: "" }, `Default voice for ${language || "en-US"}`),
      ...matching.map((voice) => h("option", { value: voice.voice }, `${voice.voice} — ${voice.note || voice.engine}`)));
    if (matching.some((voice) => voice.voice === chosen)) select.value = chosen;
    button.disabled = false;
  }
  call("/voices").then(({ voices }) => {
    // A server that does not say which languages a voice speaks: list every voice.
    installed = voices.map((voice) => voice.languages ? voice : { ...voice, languages: [language || "en"] });
    fill();
  }).catch((error) => {
    select.replaceChildren(h("option", { value: "" }, "(the server's default voice)"));
    problem.textContent = `Could not list the voices: ${error.message}`;
    problem.hidden = false;
  });
  const element = h("div", {},
    h("label", { for: selectID }, "Voice"),
    h("div", { class: "voice-row" }, select, button),
    player, problem);
  /** Shows the voices of `tag` (a BCP 47 tag; empty: English). */
  function setLanguage(tag) {
    language = tag;
    if (installed.length) fill();
  }
  return { element, select, setLanguage };
}

/** The language subtag of a BCP 47 tag, lower-cased (`pt-BR` → `pt`). */
function primary(tag) {
  return String(tag).split(/[-_]/)[0].toLowerCase();
}
