/* The agent console: the queue of conversations handed to a person, and one conversation at a time
 * with the customer's words and their translation side by side.
 *
 * Served by bot/rasa/console_channel.py at /webhooks/console/ (this file: static/console.js) under a
 * CSP without inline scripts or styles.  It talks to the JSON API under /webhooks/console/api/ with
 * the agent's bearer token, kept in sessionStorage (this tab only):
 *
 *   GET me, GET tickets (polled every 5 s), GET tickets/<id>?after=<position> (every 1.5 s while a
 *   conversation is open), GET evidence/<id> (photos, shown through blob: URLs),
 *   POST tickets/<id>/assign | messages | remedy | handback, GET tickets/<id>/export.md|html|json
 *
 * Everything a customer, the bot or the server wrote is put into the page with textContent, never
 * as HTML, with dir="auto": its own first strong character decides, so an Arabic message reads right
 * to left and Latin text (an order number, pasted HTML) in an Arabic conversation stays readable.  Timings for the browser test: performance marks and measures named "console:...".
 */
(function () {
  "use strict";

  const TOKEN_KEY = "aftersales-console-token";
  const QUEUE_EVERY_MS = 5000;
  const CONVERSATION_EVERY_MS = 1500;
  const TICK_EVERY_MS = 15000;
  const MAX_REPLY = 2000;
  const script = document.currentScript;
  // static/console.js -> api/: right whether the page was opened as /webhooks/console or .../console/
  const API = new URL("../api/", script ? script.src : location.href).href;

  const REMEDIES = {
    reship: "Reship",
    refund: "Refund",
    partial_refund: "Partial refund",
    return_refund: "Return and refund",
    exchange: "Exchange",
    coupon: "Coupon",
  };
  const OFFER_STATES = {
    proposed: "proposed to the customer",
    pending_approval: "waiting for your approval",
    accepted: "accepted",
    withdrawn: "withdrawn",
    rejected: "declined by the customer",
  };
  const DELIVERY = {
    sent: "Delivered to the customer",
    sent_template: "Delivered as a message template (the channel's 24-hour window had closed)",
    sent_tagged: "Delivered, tagged as a human agent's message",
    stored: "Stored only: this channel cannot push messages; the customer sees it in the conversation's history",
    not_sent: "Not sent",
    failed: "Delivery failed",
  };

  const state = {
    token: null,
    me: null,
    tickets: [],
    ticketsAt: 0, // performance.now() of the last queue answer: waiting times tick from there
    queueTimer: null,
    queueRun: 0, // only the latest queue request schedules the next one
    tickTimer: null,
    open: null, // {id, ticket, last, rendered: Map(position -> li), timer, closed, photos: Map}
    loginStarted: null, // for the "console:login-to-queue" measure
  };
  const $ = (id) => document.getElementById(id);
  const ui = {};

  // --- small helpers -------------------------------------------------------------------------

  // An element; text goes in as textContent, so nothing in it is ever read as HTML.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "text") node.textContent = value == null ? "" : String(value);
      else if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else if (value !== false && value != null) node.setAttribute(name, String(value));
    }
    node.append(...children.filter((child) => child != null));
    return node;
  }

  function baseLanguage(code) {
    return String(code || "").toLowerCase().split(/[-_]/)[0];
  }

  let languageNames = null;
  function languageName(code) {
    if (!code) return "unknown language";
    try {
      languageNames = languageNames || new Intl.DisplayNames(["en"], { type: "language" });
      const name = languageNames.of(baseLanguage(code));
      return name && name !== code ? name : code;
    } catch (error) {
      return code; // an odd code: show it as it is
    }
  }

  function humanize(value) {
    const text = String(value || "").replace(/_/g, " ").trim();
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : "";
  }

  function tier(value) {
    return value === "vip" ? "VIP" : humanize(value);
  }

  function waitingText(seconds) {
    const minutes = Math.floor(Math.max(0, seconds) / 60);
    if (minutes < 1) return "< 1 min";
    if (minutes < 60) return minutes + " min";
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + " h " + (minutes % 60) + " min";
    return Math.floor(hours / 24) + " days";
  }

  function clock(iso) {
    const date = new Date(iso);
    if (isNaN(date)) return "";
    const today = new Date().toDateString() === date.toDateString();
    const options = today
      ? { hour: "2-digit", minute: "2-digit" }
      : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
    return date.toLocaleString(undefined, options);
  }

  function say(node, text, kind) {
    node.textContent = text || "";
    node.classList.toggle("error", kind === "error");
    node.classList.toggle("ok", kind === "ok");
  }

  // --- the API -------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function request(path, options) {
    options = options || {};
    const headers = { Authorization: "Bearer " + (options.token || state.token), Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(API + path, {
        method: options.method || "GET",
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        cache: "no-store",
        credentials: "omit",
      });
    } catch (error) {
      throw new ApiError(0, "The server cannot be reached. Check your connection; the console keeps trying.");
    }
    if (!response.ok) {
      let message = "";
      try {
        message = (await response.json()).error || "";
      } catch (error) {
        /* not JSON: the status says enough */
      }
      throw new ApiError(response.status, message || "The server answered " + response.status + ".");
    }
    return options.raw ? response : response.json();
  }

  // A request from a signed-in screen: a token that stops working sends the agent back to sign in.
  async function api(path, options) {
    try {
      return await request(path, options);
    } catch (error) {
      if (error.status === 401 || error.status === 403) {
        signOut("Your token is no longer accepted. Please sign in again.");
      }
      throw error;
    }
  }

  // --- signing in and out --------------------------------------------------------------------

  function show(view) {
    ui.loginView.hidden = view !== "login";
    ui.queueView.hidden = view !== "queue";
    ui.conversationView.hidden = view !== "conversation";
    ui.who.hidden = ui.logout.hidden = view === "login";
  }

  async function signIn(token, fromForm) {
    say(ui.loginError, "");
    if (fromForm) {
      performance.clearMarks("console:login");
      performance.mark("console:login");
      state.loginStarted = true;
    }
    let me;
    try {
      me = await request("me", { token });
    } catch (error) {
      forget();
      let message = error.message;
      if (error.status === 401 || error.status === 403) {
        message = "This token was not accepted. Check that you copied all of it and try again.";
      } else if (error.status === 503) {
        message = "The console is not set up on the server yet: " + error.message;
      }
      say(ui.loginError, message, "error");
      show("login");
      ui.token.focus();
      return;
    }
    state.token = token;
    state.me = me;
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch (error) {
      /* storage disabled: signed in until the page is reloaded */
    }
    ui.token.value = "";
    ui.who.textContent = "Signed in as " + me.agent + " · replies in " + languageName(me.language);
    ui.replyLabel.textContent = "Reply in " + languageName(me.language);
    startQueue();
    route();
  }

  function forget() {
    state.token = null;
    state.me = null;
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch (error) {
      /* nothing stored */
    }
  }

  function signOut(message) {
    forget();
    closeConversation();
    clearTimeout(state.queueTimer);
    state.queueTimer = null;
    state.queueRun++;
    clearInterval(state.tickTimer);
    state.tickets = [];
    ui.queue.replaceChildren(); // no customer data stays in the page
    ui.who.textContent = "";
    say(ui.notice, "");
    say(ui.loginError, message || "", message ? "error" : null);
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    show("login");
    ui.token.focus();
  }

  // --- the queue -----------------------------------------------------------------------------

  function startQueue() {
    clearInterval(state.tickTimer);
    state.tickTimer = setInterval(tickWaiting, TICK_EVERY_MS);
  }

  async function pollQueue() {
    clearTimeout(state.queueTimer);
    if (!state.token) return;
    const run = ++state.queueRun;
    try {
      const answer = await api("tickets");
      if (run !== state.queueRun) return;
      state.tickets = answer.tickets || [];
      state.ticketsAt = performance.now();
      renderQueue();
      say(ui.notice, "");
      if (state.loginStarted) {
        state.loginStarted = false;
        performance.mark("console:queue-shown");
        performance.measure("console:login-to-queue", "console:login", "console:queue-shown");
      }
    } catch (error) {
      if (!state.token || run !== state.queueRun) return; // signed out or asked again meanwhile
      say(ui.notice, "The queue could not be loaded: " + error.message, "error");
    }
    if (state.token && run === state.queueRun) state.queueTimer = setTimeout(pollQueue, QUEUE_EVERY_MS);
  }

  function waitedSeconds(ticket) {
    return (ticket.waiting_seconds || 0) + (performance.now() - state.ticketsAt) / 1000;
  }

  function tickWaiting() {
    for (const node of ui.queue.querySelectorAll("[data-ticket]")) {
      const ticket = state.tickets.find((t) => String(t.id) === node.dataset.ticket);
      if (ticket) node.querySelector(".waiting").textContent = waitingText(waitedSeconds(ticket));
    }
    if (state.open && state.open.ticket) renderStatus();
  }

  function bilingual(text, language, translated, translatedLanguage) {
    const parts = [el("span", { class: "original", lang: language || null, dir: "auto", text })];
    if (translated == null) {
      parts.push(el("span", { class: "translation missing", text: "not translated" }));
    } else if (translated !== text) {
      parts.push(
        el("span", {
          class: "translation",
          lang: translatedLanguage || null,
          dir: "auto",
          text: translated,
        })
      );
    }
    return parts;
  }

  function queueCard(ticket) {
    const assigned = ticket.status === "assigned" && ticket.assigned_to;
    const claim = [humanize(ticket.claim_type), ticket.order_number].filter(Boolean).join(" · ");
    const last = ticket.last_customer_text
      ? el(
          "p",
          { class: "last" },
          el("span", { class: "visually-hidden", text: "Last message: " }),
          ...bilingual(
            ticket.last_customer_text,
            ticket.language,
            ticket.last_customer_translated,
            state.me && state.me.language
          )
        )
      : null;
    const waited = waitingText(waitedSeconds(ticket));
    return el(
      "li",
      { class: "ticket" + (assigned ? " assigned" : ""), "data-ticket": ticket.id },
      el(
        "div",
        { class: "ticket-head" },
        el("span", { class: "waiting", title: "Waiting since " + clock(ticket.created_at), text: waited }),
        el("span", { class: "reason", text: humanize(ticket.reason) }),
        el("span", {
          class: "badge",
          text: assigned ? "with " + ticket.assigned_to : "waiting",
        })
      ),
      el(
        "p",
        { class: "meta" },
        el("span", { lang: "en", text: languageName(ticket.language) }),
        el("span", { text: humanize(ticket.channel) }),
        claim ? el("span", { text: claim }) : null,
        ticket.customer_tier ? el("span", { text: tier(ticket.customer_tier) + " customer" }) : null
      ),
      last,
      el("button", {
        type: "button",
        class: "open",
        text: "Open",
        "aria-label":
          "Open conversation " + ticket.id + ", " + languageName(ticket.language) + ", waiting " + waited,
        onclick: () => {
          location.hash = "#ticket-" + ticket.id;
        },
      })
    );
  }

  function renderQueue() {
    ui.queue.replaceChildren(...state.tickets.map(queueCard));
    ui.queueEmpty.hidden = state.tickets.length > 0;
    const waiting = state.tickets.filter((t) => t.status !== "assigned").length;
    ui.queueCount.textContent =
      state.tickets.length + " conversation" + (state.tickets.length === 1 ? "" : "s") + ", " + waiting + " waiting";
  }

  // --- one conversation ----------------------------------------------------------------------

  // #ticket-<id> opens a conversation: the browser's back button and a reload work as expected.
  function route() {
    if (!state.token) return;
    const match = /^#ticket-(\d+)$/.exec(location.hash);
    if (match) {
      if (!state.open || String(state.open.id) !== match[1]) openConversation(match[1]);
      if (!state.queueTimer) pollQueue(); // signed in on a conversation's address: the queue too
    } else {
      closeConversation();
      show("queue");
      pollQueue();
    }
  }

  function closeConversation() {
    if (!state.open) return;
    clearTimeout(state.open.timer);
    for (const url of state.open.photos.values()) URL.revokeObjectURL(url);
    state.open = null;
    ui.transcript.replaceChildren();
    ui.summary.replaceChildren();
    ui.evidence.replaceChildren();
    for (const node of [ui.conversationError, ui.replyResult, ui.remedyResult, ui.handbackResult]) say(node, "");
  }

  async function openConversation(id) {
    closeConversation();
    state.open = { id, ticket: null, last: null, rendered: new Map(), timer: null, closed: false, photos: new Map() };
    const open = state.open;
    ui.conversationTitle.textContent = "Conversation " + id;
    ui.conversationStatus.textContent = "";
    setClosed(false);
    show("conversation");
    try {
      const answer = await api("tickets/" + id);
      if (state.open !== open) return;
      applyTicket(answer.ticket);
      addEntries(answer.entries || [], false);
      scrollToEnd(true);
      // Opening a waiting conversation takes it, so two agents do not answer the same customer.
      if (answer.ticket.status === "open") {
        applyTicket(await api("tickets/" + id + "/assign", { method: "POST" }));
        pollQueue();
      }
    } catch (error) {
      if (state.open !== open) return;
      say(ui.conversationError, "This conversation could not be opened: " + error.message, "error");
      if (error.status === 404 || error.status === 409) setClosed(true);
      return;
    }
    ui.reply.focus();
    open.timer = setTimeout(() => pollConversation(open), CONVERSATION_EVERY_MS);
  }

  async function pollConversation(open) {
    if (state.open !== open || open.closed) return;
    const after = open.last == null ? "" : "?after=" + encodeURIComponent(open.last);
    try {
      const answer = await api("tickets/" + open.id + after);
      if (state.open !== open) return;
      applyTicket(answer.ticket);
      const nearEnd = isNearEnd();
      addEntries(answer.entries || [], true);
      scrollToEnd(nearEnd);
      if (ui.conversationError.dataset.polling) say(ui.conversationError, "");
      delete ui.conversationError.dataset.polling;
    } catch (error) {
      if (state.open !== open) return;
      if (error.status === 404 || error.status === 409) {
        say(ui.conversationError, "This conversation is closed: " + error.message, "error");
        setClosed(true);
        return;
      }
      say(ui.conversationError, "New messages could not be loaded: " + error.message, "error");
      ui.conversationError.dataset.polling = "1";
    }
    if (state.open === open && !open.closed) {
      open.timer = setTimeout(() => pollConversation(open), CONVERSATION_EVERY_MS);
    }
  }

  function setClosed(closed) {
    if (state.open) state.open.closed = closed;
    for (const node of [ui.reply, ui.send, ui.approve, ui.handback, ...ui.changeForm.elements]) {
      node.disabled = closed;
    }
    if (closed && state.open) clearTimeout(state.open.timer);
  }

  // Some answers (assign) carry only the queue's fields: what they leave out stays as it was.
  function applyTicket(update) {
    if (!update || !state.open) return;
    const before = state.open.ticket;
    const ticket = Object.assign({}, before, update);
    state.open.ticket = ticket;
    state.open.ticketAt = performance.now();
    renderStatus();
    if (!before || JSON.stringify(before) !== JSON.stringify(ticket)) renderSummary(ticket);
    if (ticket.status === "closed") setClosed(true);
  }

  function renderStatus() {
    const ticket = state.open.ticket;
    const waited = (ticket.waiting_seconds || 0) + (performance.now() - state.open.ticketAt) / 1000;
    const parts = [languageName(ticket.language), humanize(ticket.channel)];
    if (ticket.status === "closed") parts.push("closed");
    else parts.push("waiting " + waitingText(waited), ticket.assigned_to ? "with " + ticket.assigned_to : "unassigned");
    ui.conversationTitle.textContent =
      "Conversation " + ticket.id + (ticket.case_number ? " · case " + ticket.case_number : "");
    ui.conversationStatus.textContent = parts.join(" · ");
  }

  function row(term, ...values) {
    const present = values.filter((value) => value != null && value !== "");
    if (!present.length) return [];
    return [el("dt", { text: term }), el("dd", {}, ...present.map((v) => (typeof v === "string" ? el("span", { text: v }) : v)))];
  }

  function renderSummary(ticket) {
    const items = (ticket.items || []).map((item) =>
      el("span", { class: "item", text: (item.quantity != null ? item.quantity + " × " : "") + (item.name || item.sku || "") })
    );
    ui.summary.replaceChildren(
      ...row("Reason", humanize(ticket.reason)),
      ...row(
        "Language",
        el("span", {}, languageName(ticket.language), el("span", { class: "muted", text: " (" + ticket.language + ")" }))
      ),
      ...row("Channel", humanize(ticket.channel)),
      ...row("Claim", humanize(ticket.claim_type)),
      ...row("Order", ticket.order_number),
      ...row("Items", ...items),
      ...row("Customer", ticket.customer_tier ? tier(ticket.customer_tier) + " tier" : ""),
      ...row("Assistant", ticket.paused === false ? "answering the customer" : ticket.paused ? "paused" : ""),
      ...row("Note", ticket.note)
    );
    renderEvidence(ticket.evidence || []);
    renderOffer(ticket);
  }

  function renderEvidence(evidence) {
    ui.evidenceBlock.hidden = evidence.length === 0;
    const shown = new Set([...ui.evidence.querySelectorAll("[data-photo]")].map((node) => node.dataset.photo));
    const wanted = evidence.map((photo) => String(photo.id));
    if (shown.size === wanted.length && wanted.every((id) => shown.has(id))) return;
    ui.evidence.replaceChildren(
      ...evidence.map((photo, index) => {
        const image = el("img", { alt: "Photo " + (index + 1) + " from the customer", width: 96, height: 96 });
        const link = el("a", { href: "#", target: "_blank", rel: "noopener", "aria-label": "Open photo " + (index + 1) });
        link.append(image);
        loadPhoto(photo.id, image, link);
        return el("li", { "data-photo": photo.id }, link);
      })
    );
  }

  // Photos need the bearer token, so they are fetched and shown through blob: URLs.
  async function loadPhoto(id, image, link) {
    const open = state.open;
    try {
      let url = open.photos.get(id);
      if (!url) {
        const response = await api("evidence/" + encodeURIComponent(id), { raw: true });
        url = URL.createObjectURL(await response.blob());
        if (state.open !== open) return URL.revokeObjectURL(url);
        open.photos.set(id, url);
      }
      image.src = url;
      link.href = url;
    } catch (error) {
      image.replaceWith(el("span", { class: "muted", text: "photo unavailable" }));
    }
  }

  function renderOffer(ticket) {
    const offer = ticket.offer;
    ui.remedyBlock.hidden = !offer;
    if (!offer) return;
    const kind = REMEDIES[offer.kind] || humanize(offer.kind);
    const amount = offer.amount && Number(offer.amount) > 0 ? " " + offer.amount + " " + (offer.currency || "") : "";
    ui.offer.textContent = kind + amount.trimEnd() + " — " + (OFFER_STATES[offer.state] || humanize(offer.state));
    ui.policyReason.textContent = ticket.policy_reason ? "Policy: " + humanize(ticket.policy_reason) : "";
    ui.changeCurrency.textContent = offer.currency ? "(" + offer.currency + ")" : "";
    const approvable = offer.state === "pending_approval" || offer.state === "proposed";
    ui.approve.disabled = !approvable || state.open.closed;
    ui.approve.textContent = offer.state === "accepted" ? "Remedy accepted" : "Approve remedy";
  }

  // --- the transcript ------------------------------------------------------------------------

  function author(entry) {
    if (entry.role === "customer") return "Customer";
    // The console also sends the assistant's own wording (remedy decided, hand back) for an agent.
    if (entry.role === "bot") return entry.author && entry.author !== "assistant" ? "Assistant, sent by " + entry.author : "Assistant";
    return entry.author ? "Agent " + entry.author : "Agent";
  }

  function deliveryText(entry) {
    if (!entry.delivery) return null;
    const status = typeof entry.delivery === "string" ? entry.delivery : entry.delivery.status;
    const detail = typeof entry.delivery === "object" ? entry.delivery.detail : entry.delivery_detail;
    const text = DELIVERY[status] || humanize(status);
    return el("p", { class: "delivery delivery-" + status, text: detail ? text + " (" + detail + ")" : text });
  }

  function entryNode(entry) {
    const texts = el("div", { class: "texts" });
    texts.append(
      el("p", {
        class: "original",
        lang: entry.language || null,
        dir: "auto",
        text: entry.text,
      })
    );
    if (entry.translated_text == null) {
      texts.append(
        el("p", {
          class: "translation missing",
          text: "Not translated: the translator did not answer. The original is shown.",
        })
      );
    } else if (entry.translated_text === entry.text && baseLanguage(entry.language) === baseLanguage(entry.translated_language)) {
      texts.classList.add("same");
    } else {
      texts.append(
        el("p", {
          class: "translation",
          lang: entry.translated_language || null,
          dir: "auto",
          text: entry.translated_text,
        })
      );
    }
    return el(
      "li",
      { class: "entry " + entry.role, "data-position": entry.position },
      el(
        "p",
        { class: "entry-head" },
        el("span", { class: "author", text: author(entry) }),
        el("span", {
          class: "language",
          text:
            entry.translated_text == null || baseLanguage(entry.language) === baseLanguage(entry.translated_language)
              ? languageName(entry.language)
              : languageName(entry.language) + " → " + languageName(entry.translated_language),
        }),
        el("time", { datetime: entry.at, text: clock(entry.at) })
      ),
      texts,
      deliveryText(entry)
    );
  }

  function addEntries(entries, live) {
    const open = state.open;
    for (const entry of entries) {
      const position = entry.position;
      const existing = position != null ? open.rendered.get(position) : null;
      const node = entryNode(entry);
      if (existing) {
        existing.replaceWith(node); // the same message again (after sending): newer delivery state
      } else {
        // Keep the transcript in position order even if a reply's answer and a poll cross.
        const later = [...open.rendered.entries()].filter(([p]) => p > position).sort((a, b) => a[0] - b[0])[0];
        ui.transcript.insertBefore(node, later ? later[1] : null);
        if (live) performance.mark("console:entry-shown", { detail: { position, role: entry.role } });
      }
      if (position != null) {
        open.rendered.set(position, node);
        if (open.last == null || position > open.last) open.last = position;
      }
    }
  }

  function isNearEnd() {
    const list = ui.transcript;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  function scrollToEnd(yes) {
    if (yes) ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  // --- what the agent does -------------------------------------------------------------------

  async function sendReply(event) {
    event.preventDefault();
    const open = state.open;
    const text = ui.reply.value.trim();
    if (!open || open.closed) return;
    if (!text) return say(ui.replyResult, "Please write a message first.", "error");
    if (text.length > MAX_REPLY) {
      return say(ui.replyResult, "Please keep it under " + MAX_REPLY + " characters (now " + text.length + ").", "error");
    }
    ui.send.disabled = true;
    say(ui.replyResult, "Sending…");
    try {
      const answer = await api("tickets/" + open.id + "/messages", { method: "POST", body: { text } });
      if (state.open !== open) return;
      const delivery = answer.delivery || {};
      const entry = Object.assign({}, answer.entry);
      if (!entry.delivery) entry.delivery = delivery.status;
      entry.delivery_detail = delivery.detail;
      addEntries([entry], false);
      scrollToEnd(true);
      ui.reply.value = "";
      const status = DELIVERY[delivery.status] || humanize(delivery.status) || "Sent";
      say(ui.replyResult, status + (delivery.detail ? " (" + delivery.detail + ")" : "") + ".", told(delivery) ? "ok" : "error");
    } catch (error) {
      if (state.open !== open) return;
      // Nothing was sent (e.g. the translation failed): the text stays in the box to retry or rephrase.
      say(ui.replyResult, "Not sent: " + error.message, "error");
    } finally {
      if (state.open === open && !open.closed) ui.send.disabled = false;
    }
  }

  function told(delivery) {
    return !delivery || ["sent", "sent_template", "sent_tagged", "stored"].includes(delivery.status);
  }

  function toldText(delivery) {
    if (delivery && delivery.status === "stored") {
      return "the customer finds the message in the conversation (this channel cannot push it).";
    }
    if (told(delivery)) return "the customer has been told.";
    const status = DELIVERY[delivery.status] || humanize(delivery.status);
    return "but the message to the customer was not delivered: " + status + (delivery.detail ? " (" + delivery.detail + ")" : "") + ".";
  }

  async function remedy(body, button) {
    const open = state.open;
    button.disabled = true;
    say(ui.remedyResult, "Saving…");
    try {
      const answer = await api("tickets/" + open.id + "/remedy", { method: "POST", body });
      if (state.open !== open) return;
      applyTicket(answer.ticket || answer);
      addEntries(answer.entries || [], false); // what the customer was told
      scrollToEnd(true);
      const done = body.action === "approve" ? "Remedy approved" : "Remedy changed";
      say(ui.remedyResult, done + "; " + toldText(answer.delivery), told(answer.delivery) ? "ok" : "error");
    } catch (error) {
      if (state.open === open) say(ui.remedyResult, "Not saved: " + error.message, "error");
    } finally {
      if (state.open === open && !open.closed) {
        button.disabled = false;
        if (open.ticket) renderOffer(open.ticket);
      }
    }
  }

  function changeRemedy(event) {
    event.preventDefault();
    const kind = ui.changeKind.value;
    const amount = ui.changeAmount.value.trim().replace(",", ".");
    if (amount && !/^\d+(\.\d{1,2})?$/.test(amount)) {
      return say(ui.remedyResult, "Please write the amount as a number, e.g. 12.50.", "error");
    }
    const body = { action: "change", kind };
    if (amount) body.amount = amount;
    remedy(body, ui.changeForm.querySelector("button"));
  }

  async function handBack() {
    const open = state.open;
    ui.handback.disabled = true;
    say(ui.handbackResult, "Handing back…");
    try {
      const answer = await api("tickets/" + open.id + "/handback", { method: "POST" });
      if (state.open !== open) return;
      applyTicket(answer.ticket || answer);
      addEntries(answer.entries || [], false);
      scrollToEnd(true);
      setClosed(true);
      say(
        ui.handbackResult,
        "Handed back: the assistant answers this customer again; the ticket is closed. " + toldText(answer.delivery),
        told(answer.delivery) ? "ok" : "error"
      );
      pollQueue();
    } catch (error) {
      if (state.open !== open) return;
      say(ui.handbackResult, "Not handed back: " + error.message, "error");
      ui.handback.disabled = open.closed;
    }
  }

  // Exports need the bearer token too: fetched, then saved through a blob: URL.
  async function download(extension) {
    const open = state.open;
    if (!open) return;
    try {
      const response = await api("tickets/" + open.id + "/export." + extension, { raw: true });
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: "ticket-" + open.id + "." + extension, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) {
      say(ui.handbackResult, "The export failed: " + error.message, "error");
    }
  }

  // --- start ---------------------------------------------------------------------------------

  function start() {
    for (const id of [
      "who", "logout", "notice", "token", "back", "queue", "send", "reply", "summary", "evidence",
      "offer", "approve", "handback", "transcript",
    ]) {
      ui[id] = $(id);
    }
    Object.assign(ui, {
      loginView: $("login-view"),
      queueView: $("queue-view"),
      conversationView: $("conversation-view"),
      loginForm: $("login-form"),
      loginError: $("login-error"),
      queueEmpty: $("queue-empty"),
      queueCount: $("queue-count"),
      conversationTitle: $("conversation-title"),
      conversationStatus: $("conversation-status"),
      conversationError: $("conversation-error"),
      evidenceBlock: $("evidence-block"),
      remedyBlock: $("remedy-block"),
      policyReason: $("policy-reason"),
      changeForm: $("change-form"),
      changeKind: $("change-kind"),
      changeAmount: $("change-amount"),
      changeCurrency: $("change-currency"),
      remedyResult: $("remedy-result"),
      handbackResult: $("handback-result"),
      replyForm: $("reply-form"),
      replyLabel: $("reply-label"),
      replyResult: $("reply-result"),
    });

    ui.loginForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const token = ui.token.value.trim();
      if (!token) {
        say(ui.loginError, "Please enter your access token.", "error");
        return ui.token.focus();
      }
      signIn(token, true);
    });
    ui.logout.addEventListener("click", () => signOut());
    ui.back.addEventListener("click", () => {
      location.hash = "";
    });
    ui.replyForm.addEventListener("submit", sendReply);
    ui.reply.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) ui.replyForm.requestSubmit();
    });
    ui.approve.addEventListener("click", () => remedy({ action: "approve" }, ui.approve));
    ui.changeForm.addEventListener("submit", changeRemedy);
    ui.handback.addEventListener("click", handBack);
    for (const button of document.querySelectorAll("[data-export]")) {
      button.addEventListener("click", () => download(button.dataset.export));
    }
    window.addEventListener("hashchange", route);

    let token = null;
    try {
      token = sessionStorage.getItem(TOKEN_KEY);
    } catch (error) {
      /* storage disabled */
    }
    if (token) signIn(token, false);
    else show("login");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
