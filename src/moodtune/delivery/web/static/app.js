// moodtune web page: vanilla JS, no build step. Talks to the REST API under /api/v1 and the
// WebSocket /api/v1/stream. Photos and frames go to the server only to be read, never stored.

const EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];
// Where a journey may end (the API's JOURNEY_TARGETS), the usual destinations first.
const JOURNEY_TARGETS = ["happy", "calm", "content", "energetic", "neutral", "surprise", "sad", "fear", "angry", "disgust"];
const PLAYLIST_SIZE = 6;
const API = "/api/v1";
const FRAME_INTERVAL_MS = 250; // ~4 frames per second
const FRAME_WIDTH = 640;
const TIMELINE_SECONDS = 30;

const $ = (id) => document.getElementById(id);
const css = getComputedStyle(document.documentElement);
const color = (emotion) => css.getPropertyValue(`--${emotion}`).trim() || "#888";

const state = {
  probabilities: null, // the mood the playlist is for: {emotion: p}
  emotion: null,
  strategy: "match",
  target: "", // journey destination; "" lets the server choose
  lastRequest: null, // the body of the request behind the playlist shown, for export
  feedback: new Map(), // track id -> "like" | "skip"
  stream: null,
  maxUploadBytes: 10 * 1024 * 1024,
  photo: null, // the last photo read: {file, bitmap, result, heatmaps: [{square, image}] | null}
};

// ---------- small helpers ------------------------------------------------------------------------

function userId() {
  let id = localStorage.getItem("moodtune.user");
  if (!id) {
    if (crypto.randomUUID) {
      id = crypto.randomUUID();
    } else {
      id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    }
    localStorage.setItem("moodtune.user", id);
  }
  return id;
}

function announce(text) {
  $("status").textContent = text;
}

function showError(message) {
  $("error-text").textContent = message;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error-text").textContent = "";
}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(API + path, options);
  } catch {
    throw new Error("Cannot reach the moodtune server. Is it still running?");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `The server answered ${response.status}.`;
    throw new Error(message);
  }
  return body;
}

const pct = (p) => `${Math.round(p * 100)}%`;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) node.append(child);
  return node;
}

// ---------- mood display -------------------------------------------------------------------------

function renderBars(probabilities) {
  const bars = $("bars");
  bars.replaceChildren();
  if (!probabilities) return;
  const top = EMOTIONS.reduce((a, b) => (probabilities[a] >= probabilities[b] ? a : b));
  for (const emotion of EMOTIONS) {
    const p = probabilities[emotion] || 0;
    const fill = el("div", { class: "bar-fill" });
    fill.style.width = `${(p * 100).toFixed(1)}%`;
    fill.style.background = color(emotion);
    bars.append(
      el(
        "div",
        { class: `bar-row${emotion === top ? " top" : ""}`, role: "listitem", "aria-label": `${emotion} ${pct(p)}` },
        el("span", { class: "bar-label", text: emotion }),
        el("div", { class: "bar-track", "aria-hidden": "true" }, fill),
        el("span", { class: "bar-value", text: pct(p) }),
      ),
    );
  }
}

function renderMood(affect, source) {
  const summary = $("mood-summary");
  if (!affect) {
    summary.textContent = "No reading yet. Upload a photo, start the webcam, or pick a mood.";
    renderBars(null);
    return;
  }
  summary.replaceChildren(
    el("strong", { text: affect.emotion }),
    ` ${pct(affect.confidence)} · valence ${affect.valence.toFixed(2)} · arousal ${affect.arousal.toFixed(2)}`,
    el("br"),
    el("span", { class: "hint", text: source }),
  );
  renderBars(affect.probabilities);
}

// ---------- playlist -----------------------------------------------------------------------------

// `about`: {strategy, target} of the list; a journey is introduced as one, to be played in order.
function renderPlaylist(tracks, about = {}) {
  const list = $("playlist");
  list.replaceChildren();
  $("playlist-empty").hidden = tracks.length > 0;
  if (!tracks.length) {
    $("playlist-empty").textContent = "No songs matched. Try another strategy or mood.";
  }
  const journey = about.strategy === "journey" && tracks.length > 0;
  $("playlist-summary").hidden = !journey;
  $("playlist-summary").textContent = journey
    ? `A journey in ${tracks.length} steps${about.target ? ` towards ${about.target}` : ""}: play it in order, `
      + "from where you are, one small step each song."
    : "";
  $("playlist-actions").hidden = !tracks.length || !state.lastRequest;
  for (const track of tracks) list.append(trackItem(track));
}

const signed = (x) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;

function trackItem(track) {
  const item = el("li", { class: "track", "data-track-id": track.id });
  const year = track.year ? ` (${track.year})` : "";
  const note = el("span", { class: "feedback-note", "aria-live": "polite" });
  const like = el("button", { type: "button", class: "chip like", "aria-pressed": "false", text: "♥ Like" });
  const skip = el("button", { type: "button", class: "chip skip", "aria-pressed": "false", text: "Skip" });
  like.setAttribute("aria-label", `Like ${track.title} by ${track.artist}`);
  skip.setAttribute("aria-label", `Skip ${track.title} by ${track.artist}`);
  like.addEventListener("click", () => sendFeedback(track, "like", item, note));
  skip.addEventListener("click", () => sendFeedback(track, "skip", item, note));

  const actions = el(
    "div",
    { class: "track-actions" },
    el("a", {
      class: "chip spotify", href: track.links.spotify, target: "_blank", rel: "noopener noreferrer",
      text: "Spotify ↗", "aria-label": `Open ${track.title} on Spotify (new tab)`,
    }),
    el("a", {
      class: "chip youtube", href: track.links.youtube, target: "_blank", rel: "noopener noreferrer",
      text: "YouTube ↗", "aria-label": `Find ${track.title} on YouTube (new tab)`,
    }),
  );
  const player = el("div", { class: "player", hidden: true });
  if (track.spotify_id) {
    // The player is Spotify's page: it is only loaded when asked for, so no third party sees a visit otherwise.
    const play = el("button", { type: "button", class: "chip play", "aria-expanded": "false", text: "▶ Play here" });
    play.addEventListener("click", () => {
      const open = play.getAttribute("aria-expanded") === "true";
      if (!open && !player.firstChild) {
        player.append(el("iframe", {
          src: `https://open.spotify.com/embed/track/${encodeURIComponent(track.spotify_id)}`,
          title: `Spotify player: ${track.title} by ${track.artist}`,
          allow: "encrypted-media", loading: "lazy",
        }));
      }
      player.hidden = open;
      play.setAttribute("aria-expanded", String(!open));
      play.textContent = open ? "▶ Play here" : "■ Hide player";
    });
    actions.append(play);
  }
  actions.append(like, skip, note);
  item.append(
    el("div", {}, el("span", { class: "track-title", text: track.title }),
      el("span", { class: "track-artist", text: ` — ${track.artist}${year}` })),
    el("p", { class: "track-reason", text: track.reason }),
    ...(track.waypoint
      ? [el("p", {
        class: "track-waypoint",
        text: `Step ${track.position} aims at valence ${signed(track.waypoint[0])} · arousal ${signed(track.waypoint[1])}`,
      })]
      : []),
    actions,
    player,
  );
  markFeedback(item, state.feedback.get(track.id), note);
  return item;
}

function markFeedback(item, action, note) {
  item.querySelector(".like").setAttribute("aria-pressed", String(action === "like"));
  item.querySelector(".skip").setAttribute("aria-pressed", String(action === "skip"));
  item.classList.toggle("skipped", action === "skip");
  if (note) note.textContent = action === "like" ? "Liked — saved" : action === "skip" ? "Skipped — saved" : "";
}

async function sendFeedback(track, action, item, note) {
  try {
    await api("/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user_id: userId(), track_id: track.id, action, emotion: state.emotion }),
    });
    state.feedback.set(track.id, action);
    markFeedback(item, action, note);
    announce(`${action === "like" ? "Liked" : "Skipped"} ${track.title}.`);
  } catch (error) {
    showError(`Could not save your ${action}: ${error.message}`);
  }
}

async function loadFeedback() {
  try {
    const body = await api(`/feedback?user_id=${encodeURIComponent(userId())}`);
    // Newest first: the first event per track is the current one.
    for (const event of body.events) {
      if (!state.feedback.has(event.track_id)) state.feedback.set(event.track_id, event.action);
    }
  } catch {
    // No history is fine; the page works without it.
  }
}

// Every playlist request: how the mood was given, plus the strategy, a journey's target, and this
// browser's listener id so that its likes and skips tune the list.
function playlistBody(body) {
  const full = { ...body, strategy: state.strategy, k: PLAYLIST_SIZE, user_id: userId() };
  if (state.strategy === "journey" && state.target) full.target = state.target;
  return full;
}

async function requestPlaylist(body) {
  const full = playlistBody(body);
  const result = await api("/recommend", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(full),
  });
  state.lastRequest = full;
  return result;
}

async function exportPlaylist(format) {
  if (!state.lastRequest) return;
  clearError();
  try {
    let response;
    try {
      response = await fetch(`${API}/recommend/export?format=${format}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(state.lastRequest),
      });
    } catch {
      throw new Error("Cannot reach the moodtune server. Is it still running?");
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      throw new Error(body && body.error ? body.error.message : `The server answered ${response.status}.`);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `moodtune-${state.lastRequest.strategy}.${format}`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(`Playlist saved as ${format.toUpperCase()}.`);
  } catch (error) {
    showError(`Could not save the playlist: ${error.message}`);
  }
}

async function recommendFor(body) {
  $("playlist").setAttribute("aria-busy", "true"); // the old list stays visible, dimmed, until the new one arrives
  try {
    const result = await requestPlaylist(body);
    state.probabilities = result.affect.probabilities;
    state.emotion = result.affect.emotion;
    renderPlaylist(result.tracks, result);
    announce(`Playlist ready: ${result.tracks.length} songs for a ${result.affect.emotion} mood.`);
  } catch (error) {
    showError(error.message);
  } finally {
    $("playlist").removeAttribute("aria-busy");
  }
}

// ---------- photo --------------------------------------------------------------------------------

function drawBoxes(ctx, faces, scale = 1, mirrorWidth = null) {
  const line = Math.max(2, Math.round(3 * scale));
  const fontSize = Math.max(12, Math.round(16 * scale));
  ctx.lineWidth = line;
  ctx.font = `600 ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = "top";
  for (const face of faces) {
    let { x, y, w, h } = face.box;
    x *= scale; y *= scale; w *= scale; h *= scale;
    if (mirrorWidth !== null) x = mirrorWidth - x - w;
    const emotion = face.affect.emotion;
    ctx.strokeStyle = color(emotion);
    ctx.strokeRect(x, y, w, h);
    const label = `${emotion} ${pct(face.affect.confidence)}`;
    const tw = ctx.measureText(label).width + 10;
    const th = fontSize + 8;
    const top = y - th >= 0 ? y - th : y + h;
    ctx.fillStyle = color(emotion);
    ctx.fillRect(x - line / 2, top, tw, th);
    ctx.fillStyle = "#fff";
    ctx.fillText(label, x + 5 - line / 2, top + 4);
  }
}

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("Could not show the heat map."));
    image.src = src;
  });
}

// The photo, then (when asked) each face's heat map over its square, then the boxes and labels on top.
function drawPhoto() {
  const photo = state.photo;
  if (!photo || !photo.bitmap) return;
  const canvas = $("photo-canvas");
  const ctx = canvas.getContext("2d");
  const scale = canvas.width / photo.result.image_size.width;
  ctx.drawImage(photo.bitmap, 0, 0);
  if ($("heatmap-toggle").checked && photo.heatmaps) {
    for (const { square, image } of photo.heatmaps) {
      ctx.drawImage(image, square.x * scale, square.y * scale, square.side * scale, square.side * scale);
    }
  }
  drawBoxes(ctx, photo.result.faces, scale);
}

function resetHeatmapToggle(enabled) {
  const toggle = $("heatmap-toggle");
  toggle.checked = false;
  toggle.disabled = !enabled;
  $("heatmap-caption").hidden = true;
}

async function toggleHeatmap() {
  const toggle = $("heatmap-toggle");
  const photo = state.photo;
  $("heatmap-caption").hidden = !toggle.checked;
  if (!photo) return;
  if (toggle.checked && !photo.heatmaps) {
    clearError();
    toggle.disabled = true;
    announce("Working out where the model saw the emotion…");
    const form = new FormData();
    form.append("file", photo.file, photo.file.name);
    try {
      const result = await api("/explain", { method: "POST", body: form });
      const heatmaps = await Promise.all(
        result.faces.map(async (face) => ({ square: face.heatmap.square, image: await loadImage(face.heatmap.png) })),
      );
      if (state.photo !== photo) return; // another photo came in meanwhile
      photo.heatmaps = heatmaps;
      announce("Heat map shown.");
    } catch (error) {
      if (state.photo !== photo) return;
      toggle.checked = false;
      $("heatmap-caption").hidden = true;
      showError(`Could not show the heat map: ${error.message}`);
    } finally {
      if (state.photo === photo) toggle.disabled = false;
    }
  }
  if (state.photo === photo) drawPhoto();
}

async function analysePhoto(file) {
  clearError();
  if (!file) return;
  state.photo = null;
  resetHeatmapToggle(false);
  if (file.size > state.maxUploadBytes) {
    showError(`This file is ${(file.size / 1048576).toFixed(1)} MB; photos up to ${$("max-size").textContent} are accepted.`);
    return;
  }
  const figure = $("photo-figure");
  const canvas = $("photo-canvas");
  const caption = $("photo-caption");
  let bitmap = null;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    bitmap = null; // not an image the browser can show; the server will say what is wrong
  }
  if (bitmap) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    figure.hidden = false;
    caption.textContent = "Reading faces…";
  }
  const form = new FormData();
  form.append("file", file, file.name);
  announce("Reading the faces in your photo…");
  let result;
  try {
    result = await api("/analyze", { method: "POST", body: form });
  } catch (error) {
    caption.textContent = "";
    figure.hidden = !bitmap;
    showError(error.message);
    return;
  }
  state.photo = { file, bitmap, result, heatmaps: null };
  drawPhoto();
  resetHeatmapToggle(Boolean(bitmap) && result.faces.length > 0);
  if (!result.faces.length) {
    caption.textContent = "No face found. Try a clearer, well-lit, frontal photo — or pick a mood.";
    showError("No face was found in this photo. Try another one, or pick a mood below.");
    return;
  }
  const n = result.faces.length;
  caption.textContent = `${n} face${n > 1 ? "s" : ""} found: ` +
    result.faces.map((f) => `${f.affect.emotion} ${pct(f.affect.confidence)}`).join(", ");
  renderMood(result.affect, n > 1 ? "from your photo (faces weighted by size)" : "from your photo");
  await recommendFor({ probabilities: result.affect.probabilities });
}

function setUpPhoto() {
  const input = $("photo-input");
  const zone = $("dropzone");
  input.addEventListener("change", () => {
    analysePhoto(input.files[0]);
    input.value = ""; // choosing the same file again still triggers a reading
  });
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("dragging"); });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("dragging"));
  }
  $("heatmap-toggle").addEventListener("change", toggleHeatmap);
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) analysePhoto(file);
  });
}

// ---------- webcam -------------------------------------------------------------------------------

class LiveStream {
  constructor() {
    this.video = $("webcam-video");
    this.overlay = $("webcam-overlay");
    this.grab = document.createElement("canvas");
    this.timeline = [];
    this.waiting = false;
    this.timer = null;
    this.socket = null;
    this.media = null;
    this.frameSize = { width: FRAME_WIDTH, height: 480 };
  }

  async start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new Error("This browser cannot share a webcam here (it needs https or localhost).");
    }
    try {
      this.media = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (error) {
      const denied = error && error.name === "NotAllowedError";
      throw new Error(denied ? "Webcam access was denied. Allow it in the browser to read your mood live."
        : "No webcam could be opened.");
    }
    this.video.srcObject = this.media;
    await this.video.play().catch(() => {});
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.socket = new WebSocket(`${scheme}://${location.host}${API}/stream?strategy=${state.strategy}&k=${PLAYLIST_SIZE}`);
    this.socket.addEventListener("message", (event) => this.onMessage(JSON.parse(event.data)));
    this.socket.addEventListener("close", (event) => {
      if (this.timer !== null && event.code !== 1000) showError("The live connection closed. Start the webcam again.");
      this.stop();
    });
    this.socket.addEventListener("error", () => showError("The live connection failed."));
    this.timer = setInterval(() => this.sendFrame(), FRAME_INTERVAL_MS);
  }

  stop() {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.socket && this.socket.readyState <= 1) this.socket.close(1000);
    this.socket = null;
    if (this.media) for (const track of this.media.getTracks()) track.stop();
    this.media = null;
    this.video.srcObject = null;
    this.waiting = false;
    setWebcamUi(false);
  }

  sendFrame() {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN || this.waiting) return;
    const { videoWidth: vw, videoHeight: vh } = this.video;
    if (!vw || !vh) return;
    const width = Math.min(FRAME_WIDTH, vw);
    const height = Math.round((vh * width) / vw);
    this.grab.width = width;
    this.grab.height = height;
    this.grab.getContext("2d").drawImage(this.video, 0, 0, width, height);
    this.frameSize = { width, height };
    this.waiting = true; // one frame in flight at a time: a slow server is never flooded
    this.grab.toBlob((blob) => {
      if (blob && this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(blob);
      else this.waiting = false;
    }, "image/jpeg", 0.8);
  }

  onMessage(message) {
    if (message.type === "frame" || message.type === "dropped") this.waiting = false;
    if (message.type === "frame") this.onFrame(message);
    else if (message.type === "playlist") this.onPlaylist(message);
    else if (message.type === "error") {
      this.waiting = false;
      // A busy server skips a frame, like the rate limit does; the next frame is simply sent later.
      if (message.error.code !== "busy") showError(message.error.message);
    }
  }

  onFrame(frame) {
    const { width, height } = this.frameSize;
    const canvas = this.overlay;
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * devicePixelRatio);
    canvas.height = Math.round(box.height * devicePixelRatio);
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    // The video is shown with object-fit: contain, mirrored like a selfie view.
    const scale = Math.min(canvas.width / width, canvas.height / height);
    const offsetX = (canvas.width - width * scale) / 2;
    const offsetY = (canvas.height - height * scale) / 2;
    ctx.save();
    ctx.translate(offsetX, offsetY);
    drawBoxes(ctx, frame.faces, scale, width * scale);
    ctx.restore();

    $("live-mood-row").hidden = false;
    if (frame.mood) {
      $("live-mood").textContent = frame.mood_label;
      $("live-confidence").textContent = `(${pct(frame.mood.probabilities[frame.mood_label])} smoothed)`;
      renderMood(frame.mood, "live from your webcam, smoothed over the last seconds");
      this.timeline.push({ t: performance.now(), p: frame.mood.probabilities, mood: frame.mood_label });
    } else {
      $("live-mood").textContent = "no face yet";
      $("live-confidence").textContent = "";
    }
    const cutoff = performance.now() - TIMELINE_SECONDS * 1000;
    while (this.timeline.length && this.timeline[0].t < cutoff) this.timeline.shift();
    drawTimeline(this.timeline);
  }

  onPlaylist(message) {
    state.probabilities = message.affect.probabilities;
    state.emotion = message.mood;
    // The stream knows no listener or target; a saved playlist is asked for again with both.
    state.lastRequest = playlistBody({ probabilities: message.affect.probabilities });
    renderPlaylist(message.tracks, message);
    announce(`Your mood looks ${message.mood} now; the playlist changed.`);
  }

  configure() {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: "config", strategy: state.strategy }));
      return true;
    }
    return false;
  }
}

function drawTimeline(points) {
  const canvas = $("timeline");
  const box = canvas.getBoundingClientRect();
  canvas.width = Math.round(box.width * devicePixelRatio);
  canvas.height = Math.round(box.height * devicePixelRatio);
  const ctx = canvas.getContext("2d");
  const w = canvas.width;
  const h = canvas.height;
  const pad = 6 * devicePixelRatio;
  const strip = 10 * devicePixelRatio;
  ctx.clearRect(0, 0, w, h);
  if (!points.length) return;
  const now = performance.now();
  // The window grows from 10 s to TIMELINE_SECONDS, so a fresh stream fills the chart from the left.
  const span = Math.min(TIMELINE_SECONDS * 1000, Math.max(10_000, now - points[0].t));
  const xOf = (t) => w - ((now - t) / span) * w;
  const yOf = (p) => pad + (1 - p) * (h - 2 * pad - strip);
  ctx.strokeStyle = css.getPropertyValue("--line").trim();
  ctx.lineWidth = 1;
  for (const level of [0.25, 0.5, 0.75]) {
    ctx.beginPath();
    ctx.moveTo(0, yOf(level));
    ctx.lineTo(w, yOf(level));
    ctx.stroke();
  }
  ctx.lineWidth = 2 * devicePixelRatio;
  for (const emotion of EMOTIONS) {
    ctx.strokeStyle = color(emotion);
    ctx.beginPath();
    points.forEach((point, i) => {
      const x = xOf(point.t);
      const y = yOf(point.p[emotion]);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
  // A strip along the bottom in the colour of the mood after hysteresis.
  points.forEach((point, i) => {
    const x0 = xOf(point.t);
    const x1 = i + 1 < points.length ? xOf(points[i + 1].t) : w;
    ctx.fillStyle = color(point.mood);
    ctx.fillRect(Math.floor(x0), h - strip, Math.max(1, Math.ceil(x1 - x0) + 1), strip);
  });
  canvas.setAttribute("aria-label", `Timeline of your smoothed mood; now ${points[points.length - 1].mood}`);
}

function setWebcamUi(on) {
  const button = $("webcam-toggle");
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "Stop webcam" : "Start webcam";
  $("video-wrap").hidden = !on;
  $("timeline-figure").hidden = !on;
  if (!on) $("live-mood-row").hidden = true;
}

function setUpWebcam() {
  $("webcam-toggle").addEventListener("click", async () => {
    clearError();
    if (state.stream) {
      state.stream.stop();
      state.stream = null;
      announce("Webcam stopped.");
      return;
    }
    const stream = new LiveStream();
    state.stream = stream;
    setWebcamUi(true);
    try {
      await stream.start();
      announce("Webcam started. Reading your mood live.");
    } catch (error) {
      stream.stop();
      state.stream = null;
      showError(error.message);
    }
  });
}

// ---------- mood picker and strategy -------------------------------------------------------------

function setUpPickers() {
  const select = $("mood-select");
  for (const emotion of EMOTIONS) select.append(el("option", { value: emotion, text: emotion[0].toUpperCase() + emotion.slice(1) }));
  select.addEventListener("change", async () => {
    if (!select.value) return;
    clearError();
    const affect = await requestPlaylist({ mood: select.value })
      .catch((error) => { showError(error.message); return null; });
    if (!affect) return;
    state.probabilities = affect.affect.probabilities;
    state.emotion = affect.affect.emotion;
    renderMood(affect.affect, "you picked it");
    renderPlaylist(affect.tracks, affect);
    announce(`Playlist ready for a ${select.value} mood.`);
  });

  $("mood-text-use").addEventListener("click", useText);

  for (const radio of document.querySelectorAll('input[name="strategy"]')) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      state.strategy = radio.value;
      $("journey-target-row").hidden = state.strategy !== "journey";
      clearError();
      if (state.stream && state.stream.configure()) return; // the stream answers with a new playlist
      if (state.probabilities) recommendFor({ probabilities: state.probabilities });
    });
  }

  const target = $("journey-target");
  for (const name of JOURNEY_TARGETS) target.append(el("option", { value: name, text: name[0].toUpperCase() + name.slice(1) }));
  target.addEventListener("change", () => {
    state.target = target.value;
    clearError();
    if (state.probabilities) recommendFor({ probabilities: state.probabilities });
  });
  $("export-m3u").addEventListener("click", () => exportPlaylist("m3u"));
  $("export-json").addEventListener("click", () => exportPlaylist("json"));
}

// Text, fused with the last photo's faces when it had any: "face 60% · text 40%".
async function useText() {
  const text = $("mood-text").value;
  if (!text.trim()) return;
  clearError();
  const body = { text };
  if (state.photo && state.photo.result.affect) body.analysis = state.photo.result;
  const result = await requestPlaylist(body).catch((error) => { showError(error.message); return null; });
  if (!result) return;
  const reading = result.text;
  $("mood-text-note").textContent = reading.affect
    ? `Your text reads ${reading.affect.emotion} (${pct(reading.affect.confidence)})${reading.note ? `; ${reading.note}` : ""}.`
    : `Your text was not used: ${reading.note}.`;
  state.probabilities = result.affect.probabilities;
  state.emotion = result.affect.emotion;
  const sources = result.affect.sources.map((s) => `${s.source} ${pct(s.weight)}`).join(" · ");
  renderMood(result.affect, result.affect.sources.length > 1 ? sources : "from your text");
  renderPlaylist(result.tracks, result);
  announce(`Playlist ready: ${result.tracks.length} songs for a ${result.affect.emotion} mood.`);
}

async function checkHealth() {
  try {
    const health = await api("/health");
    state.maxUploadBytes = health.max_upload_bytes;
    $("max-size").textContent = `${Math.round(health.max_upload_bytes / 1048576)} MB`;
    if (!health.model.loaded) {
      // The server's reason (health.model.error) is for its operator; listeners get what still works.
      $("notice").textContent = "Reading faces is unavailable on this server right now. "
        + "Picking a mood or writing a line still works.";
      $("notice").hidden = false;
    }
  } catch (error) {
    showError(error.message);
  }
}

// ---------- start --------------------------------------------------------------------------------

function renderLegend() {
  $("timeline-legend").replaceChildren(
    ...EMOTIONS.map((emotion) => {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = color(emotion);
      return el("li", {}, swatch, emotion);
    }),
  );
}

$("error-close").addEventListener("click", clearError);
renderLegend();
setUpPhoto();
setUpWebcam();
setUpPickers();
renderPlaylist([]);
$("playlist-empty").textContent = "No songs yet. Your playlist appears here once moodtune knows how you feel.";
checkHealth();
loadFeedback();
