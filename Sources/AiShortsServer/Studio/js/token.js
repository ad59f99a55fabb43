// The token prompt: a modal dialog that asks for the bearer token, checks it against the API and
// keeps it for this tab.

import { call, setToken, ApiError } from "./api.js";

let pending = null;

/** Shows the dialog (once, however many requests were refused) and resolves when a token works. */
export function askForToken() {
  if (pending) return pending;
  const dialog = document.getElementById("token-dialog");
  const form = document.getElementById("token-form");
  const input = document.getElementById("token-input");
  const error = document.getElementById("token-error");
  pending = new Promise((resolve) => {
    const submit = async (event) => {
      event.preventDefault();
      setToken(input.value.trim());
      try {
        await call("/voices");
        form.removeEventListener("submit", submit);
        dialog.close();
        pending = null;
        resolve();
      } catch (problem) {
        setToken("");
        error.textContent = problem instanceof ApiError && problem.status === 401
          ? "That token was refused; check it and try again." : problem.message;
        error.hidden = false;
        input.select();
      }
    };
    form.addEventListener("submit", submit);
    // Escape would leave a page that can do nothing; keep the dialog until a token works.
    dialog.addEventListener("cancel", (event) => event.preventDefault());
    error.hidden = true;
    input.value = "";
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
  return pending;
}
