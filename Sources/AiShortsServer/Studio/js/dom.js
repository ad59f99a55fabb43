// Building the page's elements without a framework: h() makes one element, text is always set as
// text (never parsed as HTML), so nothing from the server can inject markup.

/**
 * h("button", {class: "primary", onclick: fn}, "Render") — attributes starting with "on" become
 * listeners, `dataset` and booleans are handled, children are strings, nodes, arrays or null.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (name === "value") {
      element.value = value;
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** Says something to screen readers (the polite live region). */
export function announce(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

let unique = 0;
/** An id for pairing labels with fields. */
export function id(prefix) {
  unique += 1;
  return `${prefix}-${unique}`;
}
