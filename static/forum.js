// forum.js: progressive enhancement for forum pages. Everything works without it
// through plain forms; with it, times show in the reader's own time zone, new posts
// arrive live over a WebSocket, and posting does not reload the page.
(function () {
  "use strict";

  var doc = document;
  var root = doc.querySelector("[data-live-session]");
  var csrf = (doc.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // --- times in the reader's time zone (UTC stays in the title) ---------------------
  function localise(scope) {
    var times = scope.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      if (el.dataset.localised) continue;
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) continue;
      el.title = el.textContent;
      el.textContent = when.toLocaleString(undefined, {
        year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit"
      });
      el.dataset.localised = "1";
    }
  }
  localise(doc);
  if (!root || !window.WebSocket) return;

  var sessionId = Number(root.dataset.liveSession);
  var threadId = Number(root.dataset.liveThread || 0);
  var lastEventId = Number(root.dataset.liveAfter || 0);
  var list = doc.querySelector("[data-live-posts]");
  var announcer = doc.querySelector("[data-live-announcer]");

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // --- announcements: one polite summary, not one per post ---------------------------
  var unread = 0, announceTimer = null;
  function announce(message) {
    if (!announcer) return;
    announcer.textContent = message;
  }
  function countArrival() {
    unread += 1;
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () {
      announce(unread === 1 ? "1 new contribution" : unread + " new contributions");
      unread = 0;
    }, 1500);
  }

  function banner(message) {
    var box = doc.querySelector("[data-live-banner]");
    if (!box) {
      box = el("div", "notice");
      box.setAttribute("role", "status");
      box.dataset.liveBanner = "1";
      root.insertBefore(box, root.children[1] || null);
    }
    box.textContent = message;
  }

  // --- rendering a post the way the page does -----------------------------------------
  function buildPost(post, depth) {
    var article = el("article", "post" + (depth ? " depth-" + depth : ""));
    article.id = "post-" + post.id;
    article.dataset.depth = String(depth);
    var head = el("header", "post-author");
    head.appendChild(el("strong", "", post.author.display_name));
    if (post.author.country) head.appendChild(el("span", "meta", " " + post.author.country));
    if (post.author.organization) head.appendChild(el("span", "meta", " " + post.author.organization));
    if (post.author.guest) head.appendChild(el("span", "badge", "Guest"));
    article.appendChild(head);
    var body = el("div", "post-body");
    body.innerHTML = post.html; // sanitized by the server when the post was written
    article.appendChild(body);
    var foot = el("footer", "post-footer meta");
    var link = el("a");
    link.href = "#post-" + post.id;
    var time = el("time", "", post.created_at);
    time.setAttribute("datetime", post.created_at);
    link.appendChild(time);
    foot.appendChild(link);
    article.appendChild(foot);
    var template = doc.querySelector("details.reply");
    if (template) {
      var reply = template.cloneNode(true);
      reply.open = false;
      var form = reply.querySelector("form");
      form.querySelector('[name="parent_id"]').value = post.id;
      form.querySelector('[name="client_id"]').value = randomId();
      var area = form.querySelector("textarea");
      area.value = "";
      area.id = "reply-" + post.id;
      form.querySelector("label").setAttribute("for", area.id);
      form.querySelector("label").textContent = "Reply to " + post.author.display_name;
      article.appendChild(reply);
      enhanceForm(form);
    }
    localise(article);
    return article;
  }

  function insertPost(post) {
    if (!list || post.thread_id !== threadId || doc.getElementById("post-" + post.id)) return false;
    var parent = post.parent_id ? doc.getElementById("post-" + post.parent_id) : null;
    var depth = parent ? Math.min(Number(parent.dataset.depth || 0) + 1, 4) : 0;
    var article = buildPost(post, depth);
    var empty = list.querySelector("[data-live-empty]");
    if (empty) empty.remove();
    if (!parent) {
      list.appendChild(article);
    } else {
      // After the parent's last descendant: the next post not deeper than the parent.
      var after = parent, next = parent.nextElementSibling;
      var parentDepth = Number(parent.dataset.depth || 0);
      while (next && Number(next.dataset.depth || 0) > parentDepth) {
        after = next;
        next = next.nextElementSibling;
      }
      list.insertBefore(article, after.nextElementSibling);
    }
    return true;
  }

  function replaceBody(post, edited) {
    var article = doc.getElementById("post-" + post.id);
    if (!article) return;
    article.querySelector(".post-body").innerHTML = post.html;
    if (edited && !article.querySelector("[data-edited]")) {
      var mark = el("span", "", " edited");
      mark.dataset.edited = "1";
      article.querySelector(".post-footer").appendChild(mark);
    }
  }

  // --- events --------------------------------------------------------------------------
  var handlers = {
    "post.created": function (e) {
      if (insertPost(e.data)) { countArrival(); return; }
      // Already shown (our own post awaiting review, now approved): refresh it.
      replaceBody(e.data, false);
      var held = doc.querySelector("#post-" + e.data.id + " [data-held]");
      if (held) held.remove();
    },
    "post.restored": function (e) { if (!insertPost(e.data)) replaceBody(e.data, false); },
    "post.edited": function (e) { replaceBody(e.data, true); },
    "post.hidden": function (e) { replaceBody(e.data, false); },
    "post.rejected": function (e) {
      // Our own post that was waiting for review, turned down by the moderators.
      var article = doc.getElementById("post-" + e.data.id);
      if (article && article.querySelector("[data-held]")) article.remove();
    },
    "question.added": function () { banner("A new guiding question was added. Reload the page to see it."); },
    "session.opened": function () { banner("The session is open."); },
    "session.reopened": function () { banner("The session is open again. Reload the page to take part."); },
    "session.closed": function () {
      banner("The session is closed: no more contributions.");
      var forms = doc.querySelectorAll('form[action$="/posts"], details.reply');
      for (var i = 0; i < forms.length; i++) forms[i].hidden = true;
    },
    "thread.locked": function (e) {
      if (e.thread_id === threadId) banner("This thread is locked.");
    }
  };

  // --- the connection: resume from the last event, back off on failure ---------------
  var socket = null, attempts = 0;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/api/v1/live");
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: "subscribe", session_id: sessionId, after: lastEventId }));
    };
    socket.onmessage = function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (err) { return; }
      if (frame.type === "subscribed") { attempts = 0; return; }
      if (frame.type === "heartbeat") return;
      if (frame.type === "resync_required") {
        banner("You were away for a while. Reload the page to see everything new.");
        return;
      }
      if (frame.type === "error") return;
      if (typeof frame.id === "number") {
        if (frame.id <= lastEventId) return; // already seen: never apply twice
        lastEventId = frame.id;
        var handle = handlers[frame.type];
        if (handle) handle(frame);
      }
    };
    socket.onclose = function (closing) {
      socket = null;
      if (closing.code === 4403 || closing.code === 4401) return; // not allowed: stay quiet
      attempts += 1;
      // Exponential back-off with full jitter, so a restarted server is not stampeded.
      var ceiling = Math.min(30000, 1000 * Math.pow(2, attempts));
      setTimeout(connect, Math.random() * ceiling);
    };
  }
  connect();

  // --- posting without reloading (same client_id on every retry: never a duplicate) ---
  function enhanceForm(form) {
    if (form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    var match = /^\/threads\/(\d+)\/posts$/.exec(form.getAttribute("action") || "");
    if (!match) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var area = form.querySelector("textarea");
      var button = form.querySelector('button[type="submit"]');
      var parent = form.querySelector('[name="parent_id"]');
      var idField = form.querySelector('[name="client_id"]');
      var payload = { body: area.value, client_id: idField.value };
      if (parent) payload.parent_id = Number(parent.value);
      var status = form.querySelector("[data-live-status]");
      if (!status) {
        status = el("p", "meta");
        status.dataset.liveStatus = "1";
        status.setAttribute("role", "status");
        form.appendChild(status);
      }
      button.disabled = true;
      status.textContent = "Sending…";
      var tries = 0;
      (function send() {
        fetch("/api/v1/threads/" + match[1] + "/posts", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify(payload)
        }).then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
        }).then(function (result) {
          if (result.ok) {
            insertPost(result.body);
            area.value = "";
            idField.value = randomId();
            status.textContent = result.status === 202 ? "Sent: it will appear once a moderator approves it." : "Posted.";
            var details = form.closest("details");
            if (details) details.open = false;
          } else {
            status.textContent = (result.body.error && result.body.error.message) || "Could not post.";
          }
          button.disabled = false;
        }).catch(function () {
          tries += 1;
          if (tries > 5) {
            status.textContent = "No connection. Your text is kept; try again.";
            button.disabled = false;
            return;
          }
          status.textContent = "No connection; trying again…";
          setTimeout(send, Math.min(16000, 1000 * Math.pow(2, tries)) * (0.5 + Math.random()));
        });
      })();
    });
  }
  var forms = doc.querySelectorAll('form[action$="/posts"]');
  for (var i = 0; i < forms.length; i++) enhanceForm(forms[i]);
})();
