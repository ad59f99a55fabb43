// The studio's entry: checks the server (and whether it wants a token), then shows the screen the
// address names: #/new, #/jobs, #/jobs/ID (the job's draft, progress or result, whichever it is at).

import { health, setHooks, token } from "./api.js";
import { askForToken } from "./token.js";
import { replace, h } from "./dom.js";
import { showNewShort } from "./new-short.js";
import { showJobs } from "./jobs.js";
import { showJob } from "./job-page.js";

const main = document.getElementById("main");
const banner = document.getElementById("banner");
let leave = () => {};

function reachability(reachable) {
  if (reachable) {
    if (banner.dataset.kind === "unreachable") { banner.hidden = true; banner.dataset.kind = ""; }
    return;
  }
  banner.dataset.kind = "unreachable";
  banner.textContent = "The AiShorts server cannot be reached. Is `aishorts serve` still running? The page retries on its own.";
  banner.hidden = false;
}

function markNavigation(name) {
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/** Shows the screen for the current address; the previous screen's streams and timers end. */
async function route() {
  leave();
  leave = () => {};
  const hash = location.hash || "#/new";
  const job = hash.match(/^#\/jobs\/([0-9a-f-]{36})$/);
  let screen;
  if (job) {
    markNavigation("jobs");
    screen = showJob(main, job[1]);
  } else if (hash.startsWith("#/jobs")) {
    markNavigation("jobs");
    screen = showJobs(main);
  } else {
    markNavigation("new");
    screen = showNewShort(main);
  }
  leave = screen.leave || leave;
  main.focus();
}

async function start() {
  setHooks({ unauthorized: () => askForToken().then(route), reachability });
  try {
    const status = await health();
    if (status.token_required && !token()) await askForToken();
  } catch (error) {
    replace(main, h("p", { class: "error", role: "alert" }, error.message));
    // Keep trying: the page starts by itself once the server answers.
    setTimeout(start, 3000);
    return;
  }
  window.addEventListener("hashchange", route);
  route();
}

start();
