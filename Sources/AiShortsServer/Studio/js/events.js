// A job's server-sent events, read with fetch (EventSource cannot send the Authorization header).
// Reconnects after a dropped connection with Last-Event-ID, so no event is missed or repeated;
// the server ends the stream after the job's final state.

import { request } from "./api.js";

/** Parses the SSE wire format incrementally. */
class Parser {
  constructor() { this.buffer = ""; }

  /** Feeds text; returns the complete events ({id, event, data}) it finished. */
  feed(text) {
    this.buffer += text.replace(/\r\n?/g, "\n");
    const events = [];
    let end;
    while ((end = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event = { id: null, event: "message", data: "" };
      for (const line of block.split("\n")) {
        if (!line || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (name === "id") event.id = Number(value);
        else if (name === "event") event.event = value;
        else if (name === "data") event.data += value;
      }
      if (event.id !== null) events.push(event);
    }
    return events;
  }
}

/**
 * Follows job `id`'s events, calling `onEvent({id, event, data})` with data parsed, until the stream
 * ends (resolves) or `signal` aborts. `onTrouble(message | null)` reports a lost connection and its
 * recovery. Gives up after about a minute of failed reconnects (rejects with the last ApiError).
 */
export async function follow(id, { onEvent, onTrouble = () => {}, signal }) {
  let last = 0;
  let failures = 0;
  for (;;) {
    try {
      const headers = { Accept: "text/event-stream" };
      if (last > 0) headers["Last-Event-ID"] = String(last);
      const response = await request(`/jobs/${id}/events`, { headers, signal });
      onTrouble(null);
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new Parser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const event of parser.feed(value)) {
          last = event.id;
          let data = {};
          try { data = JSON.parse(event.data || "{}"); } catch { data = { message: event.data }; }
          onEvent({ id: event.id, event: event.event, data });
        }
      }
    } catch (error) {
      if (signal && signal.aborted) return;
      if (error.status && error.status !== 429 && error.status < 500) throw error;
      failures += 1;
      if (failures > 20) throw error;
      onTrouble(error.message || "the event stream was interrupted; reconnecting…");
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * failures)));
    }
  }
}
