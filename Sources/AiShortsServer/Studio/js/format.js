// How numbers and times read in the studio.

/** 75.4 → "1:15"; null → "–". */
export function clock(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
}

/** 3.14159 → "3.1 s". */
export function seconds(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value < 10 ? `${value.toFixed(1)} s` : `${Math.round(value)} s`;
}

/** Bytes → "12.3 MB". */
export function bytes(value) {
  if (!Number.isFinite(value)) return "–";
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${(value / 1024 / 1024).toFixed(1)} MB`;
}

/** An RFC 3339 time → the browser's local date and time. */
export function when(text) {
  if (!text) return "–";
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString();
}

/** Seconds between two RFC 3339 times (or until now). */
export function between(start, end) {
  if (!start) return null;
  const from = new Date(start).getTime();
  const to = end ? new Date(end).getTime() : Date.now();
  return Math.max(0, (to - from) / 1000);
}

/** Spoken length of narration: words at about 2.6 a second plus a short pause per scene, the
 *  same estimate the server uses before narrating. */
export function spokenSeconds(texts, speed = 1) {
  return texts.reduce((sum, text) => {
    const words = text.split(/\s+/).filter(Boolean).length;
    return sum + (words ? words / (2.6 * speed) + 0.4 : 0);
  }, 0);
}
