/* The after-sales chat widget.  One <script> tag on any page adds a chat bubble:
 *
 *   <script>window.AftersalesChat = {server: "https://chat.example.com"};</script>
 *   <script src="https://chat.example.com/webhooks/widget/widget.js" async></script>
 *
 * Settings (window.AftersalesChat, all optional):
 *   server    the Rasa server (default: where this file was loaded from)
 *   locale    the customer's language, sent as the first-turn hint (default: navigator.language)
 *   open      open the chat at once (default: false; it reopens by itself after a reload)
 *   greeting  let the assistant say hello when a conversation starts (default: true)
 *
 * How it talks to the server (bot/rasa/widget_channel.py):
 *   Socket.IO  session_request {session_id} -> session_confirm id   (id kept in localStorage)
 *              user_uttered {message, session_id, metadata: {locale}} -> bot_uttered (one per message)
 *              turn_done {language}: the turn is over; the conversation's language (labels, RTL)
 *   HTTP       GET settings (labels, photo limits), GET history/<id> (redraw after a reload),
 *              POST /webhooks/photo/upload (its response carries the replies to the photo)
 *
 * Everything the customer or the bot wrote is put into the page with textContent, never as HTML.
 * Timings for the browser test: performance marks/measures named "aftersales:...".
 */
(function () {
  "use strict";

  const LANGUAGES = ["en", "zh", "es", "fr", "de", "pt", "it", "ru", "ja", "ko", "ar", "tr", "nl", "pl"];
  const RIGHT_TO_LEFT = ["ar"];
  const STORE_KEY = "aftersales-chat";

  const options = Object.assign({ greeting: true, open: false }, window.AftersalesChat || {});
  const script = document.currentScript || document.querySelector('script[src*="/webhooks/widget/widget.js"]');
  const server = String(options.server || new URL(script.src).origin).replace(/\/+$/, "");
  const base = server + "/webhooks/widget";
  const browserLocale = options.locale || navigator.language || "en";

  const state = {
    labels: {},
    language: pickLanguage(browserLocale),
    maxPhotoBytes: 10 * 1024 * 1024,
    photoTypes: ["image/jpeg", "image/png", "image/webp", "image/gif"],
    socket: null,
    sessionId: null,
    ready: false, // a confirmed session: the customer can write
    turnStart: null, // performance.now() when the customer's message went out
    replied: false, // a bot message arrived for the current turn
    seenBotMessage: false, // for the "aftersales:first-bot-message" mark
    photo: null, // {file, url} chosen, not sent yet
  };
  const ui = {};

  // --- small helpers -------------------------------------------------------------------------

  function pickLanguage(code) {
    const base = String(code || "").toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.includes(base) ? base : "en";
  }

  function label(key) {
    const labels = state.labels[state.language] || state.labels.en || {};
    return labels[key] || key;
  }

  function stored() {
    try {
      return JSON.parse(localStorage.getItem(STORE_KEY)) || {};
    } catch (error) {
      return {}; // storage disabled or garbled: a new conversation
    }
  }

  function store(values) {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(Object.assign(stored(), values)));
    } catch (error) {
      /* private mode: the conversation just does not survive a reload */
    }
  }

  // An element; text goes in as textContent, so nothing in it is ever read as HTML.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else if (value !== false && value != null) node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  const ICONS = {
    chat: "M4 4h16v11H8l-4 4z",
    close: "M6 6l12 12M18 6L6 18",
    attach: "M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.7-5.7l-7.8 7.8a6 6 0 0 0 8.5 8.5l6-6",
    send: "M4 12l16-8-6 16-2-7z",
    camera: "M4 8h3l2-3h6l2 3h3v11H4zM12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z",
  };

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  // Only web and inline images from the bot; anything else (javascript:, file:) is dropped.
  function safeImageUrl(src) {
    try {
      const url = new URL(String(src), server);
      if (url.protocol === "https:" || url.protocol === "http:") return url.href;
      if (url.protocol === "data:" && /^data:image\//.test(url.href)) return url.href;
    } catch (error) {
      /* not a URL */
    }
    return null;
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const tag = el("script", { src, async: true });
      tag.onload = resolve;
      tag.onerror = () => reject(new Error("could not load " + src));
      document.head.append(tag);
    });
  }

  // --- the page: a launcher button and a panel, in a shadow root so shop styles stay out --------

  function build() {
    const host = el("div", { id: "aftersales-chat" });
    document.body.append(host);
    const shadow = host.attachShadow({ mode: "open" });
    // Shown once its style sheet is there, so the page never flashes an unstyled button.
    ui.root = el("div", { class: "root", hidden: true });
    const styles = el("link", { rel: "stylesheet", href: base + "/widget.css" });
    styles.onload = styles.onerror = () => {
      ui.root.hidden = false;
      if (!ui.panel.hidden) ui.input.focus();
    };

    ui.launcher = el(
      "button",
      { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "panel", onclick: toggle },
      icon("chat"),
    );
    ui.title = el("h2", { id: "title", "data-text": "title" });
    ui.close = el("button", { type: "button", class: "close", "data-label": "close", onclick: close }, icon("close"));
    ui.log = el("div", { class: "log", role: "log", "aria-live": "polite", "data-label": "log", tabindex: "0" });
    const dots = el("span", { class: "dots", "aria-hidden": "true" }, el("i"), el("i"), el("i"));
    const typing = el("span", { "data-text": "typing" });
    ui.typing = el("div", { class: "typing", role: "status", hidden: true }, dots, typing);
    ui.status = el("p", { class: "status", role: "status", hidden: true });
    ui.error = el("p", { class: "error", role: "alert", hidden: true });

    // The photo chosen, before it is sent.
    ui.previewImage = el("img", { "data-alt": "preview" });
    ui.progress = el("progress", { max: "100", value: "0", "data-label": "uploading", hidden: true });
    ui.sendPhoto = el("button", { type: "button", class: "primary", "data-text": "send_photo", onclick: uploadPhoto });
    ui.cancelPhoto = el("button", { type: "button", "data-text": "cancel", onclick: clearPhoto });
    ui.preview = el(
      "div",
      { class: "preview", role: "group", "data-label": "preview", hidden: true },
      ui.previewImage,
      el("div", { class: "preview-actions" }, ui.progress, ui.cancelPhoto, ui.sendPhoto),
    );

    // The composer: attach a photo, type, send.  The file input is reached through its button.
    ui.file = el("input", { type: "file", class: "visually-hidden", tabindex: "-1", "aria-hidden": "true" });
    ui.file.addEventListener("change", () => ui.file.files[0] && choosePhoto(ui.file.files[0]));
    const pick = () => ui.file.click();
    ui.attach = el("button", { type: "button", class: "icon", "data-label": "upload", onclick: pick }, icon("attach"));
    ui.input = el("input", {
      type: "text",
      class: "text",
      autocomplete: "off",
      "data-label": "message",
      "data-placeholder": "placeholder",
    });
    ui.send = el("button", { type: "submit", class: "icon send", "data-label": "send" }, icon("send"));
    ui.form = el("form", { class: "composer", onsubmit: onSubmit }, ui.file, ui.attach, ui.input, ui.send);
    ui.drop = el("div", { class: "drop", "aria-hidden": "true", "data-text": "drop", hidden: true });

    ui.panel = el(
      "section",
      { id: "panel", class: "panel", role: "dialog", "aria-labelledby": "title", hidden: true },
      el("header", {}, ui.title, ui.close),
      ui.log,
      ui.typing,
      ui.status,
      ui.error,
      ui.preview,
      ui.form,
      ui.drop,
    );
    ui.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !ui.panel.hidden) close();
    });
    // Drag and drop a photo anywhere on the panel.
    ui.panel.addEventListener("dragover", (event) => {
      event.preventDefault();
      ui.drop.hidden = false;
    });
    ui.panel.addEventListener("dragleave", (event) => {
      if (event.target === ui.drop) ui.drop.hidden = true;
    });
    ui.panel.addEventListener("drop", (event) => {
      event.preventDefault();
      ui.drop.hidden = true;
      const file = event.dataTransfer && event.dataTransfer.files[0];
      if (file) choosePhoto(file);
    });

    ui.root.append(ui.launcher, ui.panel);
    shadow.append(styles, ui.root);
    setEnabled(false);
    applyLanguage(state.language);
  }

  // Labels, direction and language of the whole widget follow the conversation's language.
  function applyLanguage(code) {
    state.language = pickLanguage(code);
    ui.root.lang = state.language;
    ui.root.dir = RIGHT_TO_LEFT.includes(state.language) ? "rtl" : "ltr";
    const each = (selector, apply) => ui.root.querySelectorAll(selector).forEach(apply);
    each("[data-label]", (node) => node.setAttribute("aria-label", label(node.dataset.label)));
    each("[data-text]", (node) => (node.textContent = label(node.dataset.text)));
    each("[data-placeholder]", (node) => (node.placeholder = label(node.dataset.placeholder)));
    each("[data-alt]", (node) => (node.alt = label(node.dataset.alt)));
    ui.launcher.setAttribute("aria-label", label(ui.panel.hidden ? "open" : "close"));
  }

  function setEnabled(enabled) {
    for (const control of [ui.input, ui.send, ui.attach]) control.disabled = !enabled;
  }

  function showError(text) {
    ui.error.textContent = text;
    ui.error.hidden = !text;
  }

  function setTyping(on) {
    ui.typing.hidden = !on;
    if (on) scrollDown();
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // --- opening and closing ---------------------------------------------------------------------

  function open() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.launcher.setAttribute("aria-label", label("close"));
    store({ open: true });
    if (!state.socket) connect();
    ui.input.focus();
    scrollDown();
  }

  function close() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.setAttribute("aria-label", label("open"));
    store({ open: false });
    ui.launcher.focus();
  }

  function toggle() {
    if (ui.panel.hidden) open();
    else close();
  }

  // --- the conversation --------------------------------------------------------------------------

  function connect() {
    // WebSocket first: no long-polling round trips, and no CORS for the socket itself.
    const socket = window.io(server, {
      path: "/socket.io",
      transports: ["websocket", "polling"],
      tryAllTransports: true,
    });
    state.socket = socket;
    socket.on("connect", () => socket.emit("session_request", { session_id: stored().sessionId || null }));
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", (message) => onBotMessage(message));
    socket.on("turn_done", onTurnDone);
    socket.on("disconnect", () => {
      state.ready = false;
      state.turnStart = null; // what the turn still says is in the history shown on reconnection
      setTyping(false);
      setEnabled(false);
      ui.status.textContent = label("offline");
      ui.status.hidden = false;
    });
  }

  async function onSessionConfirm(sessionId) {
    const known = sessionId === stored().sessionId;
    state.sessionId = sessionId;
    store({ sessionId });
    ui.status.hidden = true;
    // Redrawn from the server on every (re)connection: replies sent while the page was away
    // are in the tracker even though no socket received them.
    const shown = known ? await showHistory() : (ui.log.replaceChildren(), 0);
    if (shown > 0) state.seenBotMessage = true; // "first bot message" times new conversations only
    state.ready = true;
    setEnabled(true);
    if (!ui.panel.hidden) ui.input.focus();
    if (shown === 0 && options.greeting) emit("/greet"); // not shown: the assistant opens the conversation
  }

  async function showHistory() {
    let conversation = { language: null, messages: [] };
    try {
      const response = await fetch(base + "/history/" + encodeURIComponent(state.sessionId));
      if (!response.ok) throw new Error("history: HTTP " + response.status);
      conversation = await response.json();
    } catch (error) {
      return ui.log.childElementCount; // keep what is on screen
    }
    if (conversation.language) applyLanguage(conversation.language);
    ui.log.replaceChildren();
    for (const message of conversation.messages) {
      const time = message.timestamp ? new Date(message.timestamp * 1000) : new Date();
      if (message.sender === "bot") addBotMessage(message, time);
      else addMessage("user", { text: message.text, photo: message.photo }, time);
    }
    if (conversation.messages.length && !performance.getEntriesByName("aftersales:history-shown").length) {
      performance.mark("aftersales:history-shown");
    }
    return conversation.messages.length;
  }

  function emit(message) {
    state.socket.emit("user_uttered", { message, session_id: state.sessionId, metadata: { locale: browserLocale } });
    startTurn();
  }

  function startTurn() {
    state.turnStart = performance.now();
    state.replied = false;
    setTyping(true);
  }

  function endTurn(name) {
    if (state.turnStart !== null) performance.measure(name, { start: state.turnStart });
    state.turnStart = null;
    setTyping(false);
  }

  function send(text, payload) {
    if (!state.ready || !text.trim()) return;
    showError("");
    addMessage("user", { text });
    emit(payload || text);
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim()) return;
    ui.input.value = "";
    send(text);
  }

  function onBotMessage(message) {
    if (!state.seenBotMessage) {
      state.seenBotMessage = true;
      performance.mark("aftersales:first-bot-message");
    }
    if (state.turnStart !== null && !state.replied) {
      state.replied = true;
      performance.measure("aftersales:reply", { start: state.turnStart });
    }
    addBotMessage(message, new Date());
  }

  function onTurnDone(data) {
    endTurn("aftersales:turn");
    if (data && data.language) applyLanguage(data.language);
  }

  // Rasa's Socket.IO format ({text, quick_replies} / {attachment}) and the REST format of the
  // photo endpoint and the history ({text, buttons, image}) are both accepted.
  function addBotMessage(message, time) {
    const attachment = message.attachment || {};
    const image = message.image || (attachment.type === "image" && attachment.payload && attachment.payload.src);
    const buttons = message.buttons || message.quick_replies || [];
    addMessage("bot", { text: message.text, image, buttons }, time);
  }

  function addMessage(sender, content, time) {
    const when = time || new Date();
    if (sender === "user") clearButtons();
    const item = el("div", { class: "message " + sender });
    item.append(el("span", { class: "visually-hidden", text: label(sender === "bot" ? "assistant" : "you") + ": " }));
    if (content.text) item.append(el("p", { class: "text", dir: "auto", text: String(content.text) }));
    const imageUrl = content.image && safeImageUrl(content.image);
    if (imageUrl) item.append(el("img", { class: "image", src: imageUrl, alt: label("image") }));
    if (content.photo) {
      // The photo itself after an upload; after a reload only that one was sent (the server keeps it).
      const photo = content.photoUrl
        ? el("img", { class: "image", src: content.photoUrl, alt: label("photo") })
        : el("p", { class: "text photo" }, icon("camera"), label("photo"));
      item.append(photo);
    }
    item.append(el("time", { datetime: when.toISOString(), dir: "auto", text: formatTime(when) }));
    ui.log.append(item);
    if (content.buttons && content.buttons.length) showButtons(content.buttons);
    scrollDown();
  }

  function formatTime(date) {
    try {
      return new Intl.DateTimeFormat(state.language, { hour: "2-digit", minute: "2-digit" }).format(date);
    } catch (error) {
      return date.toTimeString().slice(0, 5);
    }
  }

  // Quick replies: only the latest bot message's buttons can be pressed.
  function showButtons(buttons) {
    clearButtons();
    const group = el("div", { class: "buttons", role: "group" });
    for (const button of buttons) {
      const title = String(button.title || "");
      const payload = String(button.payload || title);
      const choose = () => {
        send(title, payload);
        ui.input.focus(); // the buttons are gone: keep the keyboard in the conversation
      };
      group.append(el("button", { type: "button", text: title, onclick: choose }));
    }
    ui.log.append(group);
  }

  function clearButtons() {
    for (const group of ui.log.querySelectorAll(".buttons")) group.remove();
  }

  // --- photos: pick or drop, check, preview, upload with progress ----------------------------------

  function choosePhoto(file) {
    ui.file.value = "";
    if (!state.photoTypes.includes(file.type)) return showError(label("error_type"));
    if (file.size > state.maxPhotoBytes) {
      return showError(label("error_size").replace("{mb}", String(Math.round(state.maxPhotoBytes / 1048576))));
    }
    showError("");
    clearPhoto();
    state.photo = { file, url: URL.createObjectURL(file) };
    ui.previewImage.src = state.photo.url;
    ui.preview.hidden = false;
    ui.sendPhoto.focus();
  }

  function clearPhoto() {
    ui.preview.hidden = true;
    ui.progress.hidden = true;
    ui.previewImage.removeAttribute("src");
    for (const control of [ui.sendPhoto, ui.cancelPhoto]) control.disabled = false;
    state.photo = null;
  }

  function uploadPhoto() {
    const photo = state.photo;
    if (!photo || !state.ready) return;
    const form = new FormData();
    form.append("sender", state.sessionId);
    form.append("input_channel", "widget");
    form.append("file", photo.file, photo.file.name);
    const request = new XMLHttpRequest();
    request.open("POST", server + "/webhooks/photo/upload");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) ui.progress.value = Math.round((100 * event.loaded) / event.total);
    };
    request.onload = () => {
      let body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (error) {
        /* not JSON: a proxy's error page */
      }
      clearPhoto();
      if (!Array.isArray(body.messages)) {
        endTurn("aftersales:upload");
        return showError(label("error_upload"));
      }
      // A refused file (4xx) is answered in the conversation too: shown as "Photo", not as a
      // picture the browser may not be able to draw.
      addMessage("user", { photo: true, photoUrl: request.status === 201 ? photo.url : null });
      state.replied = true; // timed as an upload, not as a text reply
      for (const message of body.messages) onBotMessage(message);
      endTurn("aftersales:upload");
      ui.input.focus();
    };
    request.onerror = () => {
      clearPhoto();
      endTurn("aftersales:upload");
      showError(label("error_upload"));
    };
    ui.progress.value = 0;
    ui.progress.hidden = false;
    for (const control of [ui.sendPhoto, ui.cancelPhoto]) control.disabled = true;
    showError("");
    clearButtons();
    startTurn();
    request.send(form);
  }

  // --- start -------------------------------------------------------------------------------------

  async function start() {
    const [settings] = await Promise.all([
      fetch(base + "/settings").then((response) => response.json()),
      window.io ? Promise.resolve() : loadScript(base + "/socket.io.min.js"),
    ]);
    state.labels = settings.labels;
    state.maxPhotoBytes = settings.max_photo_bytes;
    state.photoTypes = settings.photo_types;
    build();
    ui.file.setAttribute("accept", state.photoTypes.join(","));
    if (options.open || stored().open) open();
  }

  function init() {
    start().catch((error) => console.error("after-sales chat:", error));
  }

  if (document.body) init();
  else document.addEventListener("DOMContentLoaded", init);
})();
