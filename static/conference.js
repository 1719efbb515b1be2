// conference.js: the conference page, live. Messages arrive at the bottom as they are
// written, the pinned agenda item follows the moderator, "Here now" follows who has
// the page open, and sending a message does not reload the page. Without it the page
// works through its forms and its refresh link.
(function () {
  "use strict";

  var doc = document;
  var root = doc.querySelector("[data-conference]");
  var forum = window.forum;
  if (!root || !forum || !window.WebSocket) return;
  var t = forum.t, tn = forum.tn;

  var sessionId = Number(root.dataset.conference);
  var lastEventId = Number(root.dataset.liveAfter || 0);
  var log = root.querySelector("[data-messages]");
  var announcer = root.querySelector("[data-conference-announcer]");
  var compose = root.querySelector("[data-compose]");
  var refresh = root.querySelector("[data-refresh]");
  if (refresh) refresh.parentNode.hidden = true; // live now: nothing to refresh

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // thread id → agenda item number, from the agenda beside the conversation.
  function itemOfThread(threadId) {
    var item = root.querySelector('[data-agenda-item][data-thread="' + threadId + '"]');
    return item ? Number(item.dataset.agendaItem) : null;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= doc.body.scrollHeight - 200;
  }

  function lastItemShown() {
    var markers = log.querySelectorAll("[data-item-marker]");
    return markers.length ? Number(markers[markers.length - 1].dataset.itemMarker) : null;
  }

  function addMarker(number) {
    var marker = el("li", "agenda-marker", t("Agenda item %(number)s", { number: number }));
    marker.dataset.itemMarker = String(number);
    log.appendChild(marker);
  }

  function shorten(text) {
    var flat = text.replace(/\s+/g, " ").trim();
    return flat.length <= 140 ? flat : flat.slice(0, 139) + "…";
  }

  // One message as the page writes it (rooms/conference.html).
  function messageElement(post, item) {
    var li = el("li", "message");
    li.id = "m-" + post.id;
    li.dataset.message = String(post.id);
    li.dataset.item = String(item);
    var head = el("p", "message-head");
    var name = el("strong");
    name.appendChild(el("bdi", "", post.author.display_name));
    head.appendChild(name);
    if (post.author.guest) { head.appendChild(doc.createTextNode(" ")); head.appendChild(el("span", "badge", t("Guest"))); }
    if (post.status === "pending") { head.appendChild(doc.createTextNode(" ")); head.appendChild(el("span", "badge", t("Awaiting moderation"))); }
    head.appendChild(doc.createTextNode(" "));
    var link = el("a", "meta");
    link.href = "#m-" + post.id;
    var time = el("time", "", post.created_at);
    time.setAttribute("datetime", post.created_at);
    link.appendChild(time);
    head.appendChild(link);
    li.appendChild(head);
    if (post.parent_id) {
      var parent = doc.getElementById("m-" + post.parent_id);
      if (parent) {
        var quote = el("blockquote", "message-quote");
        var to = el("a");
        to.href = "#m-" + post.parent_id;
        to.appendChild(el("bdi", "", parent.querySelector(".message-head bdi").textContent));
        quote.appendChild(to);
        quote.appendChild(doc.createTextNode(": "));
        quote.appendChild(el("span", "", shorten(parent.querySelector(".post-body").textContent)));
        li.appendChild(quote);
      } else {
        li.appendChild(el("p", "meta", t("In reply to an earlier message")));
      }
    }
    var body = el("div", "post-body");
    body.dir = "auto";
    if (post.lang && post.body) body.lang = post.lang;
    body.innerHTML = post.html; // sanitized by the server when the post was written
    li.appendChild(body);
    if (root.hasAttribute("data-may-post") && post.status === "published") {
      var reply = el("a", "meta message-reply", t("Reply"));
      reply.href = "?reply=" + post.id + "#compose";
      reply.dataset.reply = String(post.id);
      li.appendChild(reply);
    }
    forum.localise(li);
    return li;
  }

  function showMessage(post, threadId) {
    var existing = doc.getElementById("m-" + post.id);
    var item = itemOfThread(threadId || post.thread_id);
    if (item === null) return;
    var stick = nearBottom();
    var fresh = messageElement(post, item);
    if (existing) { existing.replaceWith(fresh); return; }
    var empty = root.querySelector("[data-no-messages]");
    if (empty) empty.remove();
    if (lastItemShown() !== item) addMarker(item);
    log.appendChild(fresh);
    if (announcer) announcer.textContent = t("New message from %(name)s", { name: post.author.display_name });
    if (stick) fresh.scrollIntoView({ block: "end" });
  }

  // --- the agenda ---------------------------------------------------------------------
  function moveTo(data) {
    var number = data.number;
    root.dataset.currentItem = String(number);
    var now = root.querySelector("[data-now-number]");
    var text = root.querySelector("[data-now-text]");
    if (now) now.textContent = t("Agenda item %(number)s", { number: number });
    if (text) text.textContent = data.text;
    var items = root.querySelectorAll("[data-agenda-item]");
    for (var i = 0; i < items.length; i++) {
      var current = Number(items[i].dataset.agendaItem) === number;
      items[i].classList.toggle("agenda-current", current);
      if (current) items[i].setAttribute("aria-current", "step");
      else items[i].removeAttribute("aria-current");
    }
    var select = root.querySelector("[data-agenda-form] select");
    if (select) {
      var next = select.querySelector('option[value="' + (number + 1) + '"]');
      select.value = next ? String(number + 1) : String(number);
    }
    if (lastItemShown() !== number) addMarker(number);
    if (announcer) announcer.textContent = t("The conference moved to agenda item %(number)s.", { number: number });
  }

  // --- who is here --------------------------------------------------------------------
  function showPresence(frame) {
    var list = root.querySelector("[data-presence-people]");
    var summary = root.querySelector("[data-presence-summary]");
    if (list) {
      list.textContent = "";
      for (var i = 0; i < frame.people.length; i++) {
        var li = el("li");
        li.appendChild(el("bdi", "", frame.people[i].display_name));
        list.appendChild(li);
      }
    }
    if (summary) {
      summary.textContent = tn("%(num)s person signed in", "%(num)s people signed in", frame.count) +
        " · " + tn("%(num)s guest", "%(num)s guests", frame.guests);
    }
  }

  var handlers = {
    "post.created": function (e) { showMessage(e.data, e.thread_id); },
    "post.held": function (e) { showMessage(e.data, e.thread_id); },
    "post.edited": function (e) { if (doc.getElementById("m-" + e.data.id)) showMessage(e.data, e.thread_id); },
    "post.hidden": function (e) { if (doc.getElementById("m-" + e.data.id)) showMessage(e.data, e.thread_id); },
    "post.restored": function (e) { showMessage(e.data, e.thread_id); },
    "post.rejected": function (e) {
      var gone = doc.getElementById("m-" + e.data.id);
      if (gone) gone.remove();
    },
    "agenda.moved": function (e) { moveTo(e.data); }
  };

  // --- the connection: resume from the last event, back off on failure ---------------
  var attempts = 0;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/api/v1/live");
    socket.onopen = function () {
      socket.send(JSON.stringify({
        type: "subscribe", session_id: sessionId, after: lastEventId, presence: true
      }));
    };
    socket.onmessage = function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (err) { return; }
      if (frame.type === "subscribed") { attempts = 0; return; }
      if (frame.type === "presence") { showPresence(frame); return; }
      if (frame.type === "resync_required") { location.reload(); return; }
      if (typeof frame.id === "number") {
        if (frame.id <= lastEventId) return; // already seen: never apply twice
        lastEventId = frame.id;
        var handle = handlers[frame.type];
        if (handle) handle(frame);
      }
    };
    socket.onclose = function (closing) {
      if (closing.code === 4403 || closing.code === 4401) return;
      attempts += 1;
      var ceiling = Math.min(30000, 1000 * Math.pow(2, attempts));
      setTimeout(connect, Math.random() * ceiling);
      if (refresh) refresh.parentNode.hidden = false; // offline: the plain way again
    };
  }
  connect();

  // --- replying and sending without reloading ----------------------------------------
  function setReply(id) {
    if (!compose) return;
    var box = compose.querySelector("[data-replying]");
    var field = compose.querySelector('[name="parent_id"]');
    var note = box.querySelector("p");
    var parent = id ? doc.getElementById("m-" + id) : null;
    field.value = parent ? String(id) : "";
    box.hidden = !parent;
    note.textContent = "";
    if (parent) {
      note.textContent = t("Replying to %(name)s", { name: parent.querySelector(".message-head bdi").textContent }) + " ";
      var cancel = el("button", "button-secondary", t("Cancel"));
      cancel.type = "button";
      cancel.addEventListener("click", function () { setReply(null); });
      note.appendChild(cancel);
    }
    compose.querySelector("textarea").focus();
  }

  root.addEventListener("click", function (event) {
    var reply = event.target.closest("[data-reply]");
    if (!reply || !compose) return;
    event.preventDefault();
    setReply(Number(reply.dataset.reply));
  });

  function newClientId() {
    var bytes = new Uint8Array(9);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  if (compose) {
    var textarea = compose.querySelector("textarea");
    textarea.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter starts a new line, as in any chat.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        compose.requestSubmit();
      }
    });
    compose.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!textarea.value.trim()) return;
      var payload = {
        body: textarea.value,
        lang: compose.querySelector('[name="lang"]').value,
        client_id: compose.querySelector('[name="client_id"]').value
      };
      var parent = compose.querySelector('[name="parent_id"]').value;
      if (parent) payload.parent_id = Number(parent);
      // The participation terms, accepted with this message where the form asks for it.
      var accept = compose.querySelector('input[name="accept_terms"]');
      if (accept && accept.checked) payload.accept_terms = Number(accept.value);
      var button = compose.querySelector('button[type="submit"]');
      button.disabled = true;
      var old = compose.querySelector("[data-js-error]");
      if (old) old.remove();
      forum.callApi("POST", "/api/v1/sessions/" + sessionId + "/messages", payload).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          var note = el("p", "notice notice-error", (result.body.error || {}).message || t("Could not send; please try again."));
          note.dataset.jsError = "1";
          note.setAttribute("role", "alert");
          compose.insertBefore(note, compose.firstChild);
          return;
        }
        textarea.value = "";
        compose.querySelector('[name="client_id"]').value = newClientId();
        var terms = compose.querySelector("[data-terms-accept]");
        if (terms) terms.remove();  // accepted now
        setReply(null);
        showMessage(result.body, result.body.thread_id);
      }).catch(function () {
        button.disabled = false;
        var note = el("p", "notice notice-error", t("Could not send; please try again."));
        note.dataset.jsError = "1";
        compose.insertBefore(note, compose.firstChild);
      });
    });
  }

  // Start at the newest message, as a chat does.
  if (!location.hash || location.hash === "#latest") {
    var last = log.lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
  }
})();
