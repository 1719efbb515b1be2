// forum.js: progressive enhancement for forum pages. Everything works without it
// through plain forms; with it, times show in the reader's own time zone, new posts
// arrive live over a WebSocket, posting does not reload the page, and drafts survive
// a change of interface language.
(function () {
  "use strict";

  var doc = document;
  var root = doc.querySelector("[data-live-session]");
  var csrf = (doc.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var pageLang = doc.documentElement.lang || undefined;

  // --- the page's language: its translations of this script's strings -----------------
  var strings = {};
  try {
    strings = JSON.parse((doc.getElementById("forum-strings") || {}).textContent || "{}");
  } catch (err) { strings = {}; }

  // t("Posted."), t("New contributions: %(num)s", {num: 3}): the page's translation,
  // with %(name)s filled in (numbers as the page's language writes them).
  function t(message, params) {
    var text = Object.prototype.hasOwnProperty.call(strings, message) ? strings[message] : message;
    if (!params) return text;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      if (!Object.prototype.hasOwnProperty.call(params, name)) return whole;
      var value = params[name];
      return typeof value === "number" ? value.toLocaleString(pageLang) : String(value);
    });
  }

  // --- times in the reader's time zone and language (the server's text stays as title) --
  function localise(scope) {
    var times = scope.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      if (el.dataset.localised) continue;
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) continue;
      el.title = el.textContent;
      try {
        el.textContent = when.toLocaleString(pageLang, {
          year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit"
        });
      } catch (err) {
        el.textContent = when.toLocaleString();
      }
      el.dataset.localised = "1";
    }
  }
  localise(doc);

  // --- drafts: what was typed outlives a change of language (or any page change) -------
  // Kept in this tab only (sessionStorage), per page, and put back into empty fields.
  var draftKey = "forum-drafts:" + location.pathname;
  var leaving = false; // a post form is being sent the plain way: nothing to keep

  function formKey(form) {
    var parent = form.querySelector('[name="parent_id"]');
    return (form.getAttribute("action") || "") + "#" + (parent ? parent.value : "");
  }

  function saveDrafts() {
    var drafts = [];
    var forms = doc.querySelectorAll("form[data-post-form]");
    for (var i = 0; i < forms.length; i++) {
      var fields = forms[i].querySelectorAll("textarea, input[type='text'], input:not([type]), select");
      var typed = false, kept = [];
      for (var j = 0; j < fields.length; j++) {
        var field = fields[j];
        if (!field.name) continue;
        if (field.tagName !== "SELECT" && field.value.trim()) typed = true;
        kept.push({ form: formKey(forms[i]), name: field.name, value: field.value });
      }
      if (typed) drafts = drafts.concat(kept);
    }
    try {
      if (drafts.length) sessionStorage.setItem(draftKey, JSON.stringify(drafts));
      else sessionStorage.removeItem(draftKey);
    } catch (err) { /* storage refused (private mode, full): nothing to keep */ }
  }

  function restoreDrafts() {
    var drafts;
    try {
      drafts = JSON.parse(sessionStorage.getItem(draftKey) || "[]");
      sessionStorage.removeItem(draftKey);
    } catch (err) { return; }
    if (!Array.isArray(drafts)) return;
    var forms = doc.querySelectorAll("form[data-post-form]");
    for (var i = 0; i < drafts.length; i++) {
      var draft = drafts[i];
      for (var j = 0; j < forms.length; j++) {
        if (formKey(forms[j]) !== draft.form) continue;
        var field = forms[j].querySelector('[name="' + String(draft.name).replace(/"/g, "") + '"]');
        if (!field || field.type === "hidden") continue;
        // Never over what the page already shows (the server kept the text after a refusal).
        if (field.tagName === "SELECT") {
          var typedHere = forms[j].querySelector("textarea");
          if (typedHere && typedHere.dataset.restored) field.value = draft.value;
          continue;
        }
        if (field.value.trim() || !draft.value) continue;
        field.value = draft.value;
        field.dataset.restored = "1";
        var details = forms[j].closest("details");
        if (details) details.open = true;
      }
    }
  }

  // Selects come after the text in each form, so a restored text brings its language.
  restoreDrafts();
  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-language-switcher]")) { saveDrafts(); return; }
    // Sent the plain way (not by this script): the next page has the answer instead.
    if (!event.defaultPrevented && form.matches("[data-post-form]")) leaving = true;
  });
  window.addEventListener("pagehide", function () { if (!leaving) saveDrafts(); });

  if (!root || !window.WebSocket) return;

  var sessionId = Number(root.dataset.liveSession);
  var threadId = Number(root.dataset.liveThread || 0);
  var lastEventId = Number(root.dataset.liveAfter || 0);
  var onlyLang = root.dataset.liveLang || "";
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

  // The name of a language in its own words, as the page's language lists name it.
  function languageName(code) {
    var option = doc.querySelector('select[name="lang"] option[value="' + code + '"]');
    return option ? option.textContent : code;
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
      announce(t("New contributions: %(num)s", { num: unread }));
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
  // The body in its own language and direction; a hidden post's placeholder in the
  // reader's language (events carry it in the site's source language).
  function fillBody(body, post) {
    body.removeAttribute("lang");
    body.setAttribute("dir", "auto");
    if (post.status === "hidden" && !post.body) {
      body.textContent = "";
      var note = el("p");
      note.appendChild(el("em", "", t("This contribution was hidden by a moderator.")));
      body.appendChild(note);
      if (post.moderation_reason) {
        body.appendChild(el("p", "moderation-reason", t("Reason: %(reason)s", { reason: post.moderation_reason })));
      }
      return;
    }
    body.innerHTML = post.html; // sanitized by the server when the post was written
    if (post.lang) body.setAttribute("lang", post.lang);
  }

  function buildPost(post, depth) {
    var article = el("article", "post" + (depth ? " depth-" + depth : ""));
    article.id = "post-" + post.id;
    article.dataset.depth = String(depth);
    var head = el("header", "post-author");
    var name = el("strong");
    name.appendChild(el("bdi", "", post.author.display_name));
    head.appendChild(name);
    if (post.author.country) head.appendChild(el("span", "meta", post.author.country));
    if (post.author.organization) {
      var organization = el("span", "meta");
      organization.appendChild(el("bdi", "", post.author.organization));
      head.appendChild(organization);
    }
    if (post.author.guest) head.appendChild(el("span", "badge", t("Guest")));
    if (post.status === "pending") {
      var held = el("span", "badge", t("Awaiting moderation"));
      held.dataset.held = "1";
      head.appendChild(held);
    }
    if (post.lang && post.body && post.lang !== pageLang) {
      var language = el("span", "meta", languageName(post.lang));
      language.setAttribute("lang", post.lang);
      head.appendChild(language);
    }
    article.appendChild(head);
    var body = el("div", "post-body");
    fillBody(body, post);
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
      delete form.dataset.enhanced;
      form.querySelector('[name="parent_id"]').value = post.id;
      form.querySelector('[name="client_id"]').value = randomId();
      var area = form.querySelector("textarea");
      area.value = "";
      delete area.dataset.restored;
      area.id = "reply-" + post.id;
      var label = form.querySelector('label[for^="reply-"]');
      label.setAttribute("for", area.id);
      label.textContent = t("Reply to %(name)s", { name: post.author.display_name });
      var choice = form.querySelector('select[name="lang"]');
      if (choice) {
        var choiceLabel = form.querySelector('label[for="' + choice.id + '"]');
        choice.id = "reply-" + post.id + "-lang";
        if (choiceLabel) choiceLabel.setAttribute("for", choice.id);
        if (pageLang && choice.querySelector('option[value="' + pageLang + '"]')) choice.value = pageLang;
      }
      var status = form.querySelector("[data-live-status]");
      if (status) status.remove();
      article.appendChild(reply);
      enhanceForm(form);
    }
    localise(article);
    return article;
  }

  function insertPost(post) {
    if (!list || post.thread_id !== threadId || doc.getElementById("post-" + post.id)) return false;
    if (onlyLang && post.lang !== onlyLang) return false; // the page shows one language
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
    fillBody(article.querySelector(".post-body"), post);
    if (edited && !article.querySelector("[data-edited]")) {
      var mark = el("span", "", t("edited"));
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
    "question.added": function () { banner(t("A new guiding question was added. Reload the page to see it.")); },
    "session.opened": function () { banner(t("The session is open.")); },
    "session.reopened": function () { banner(t("The session is open again. Reload the page to take part.")); },
    "session.closed": function () {
      banner(t("The session is closed: no more contributions."));
      var forms = doc.querySelectorAll('form[action$="/posts"], details.reply');
      for (var i = 0; i < forms.length; i++) forms[i].hidden = true;
    },
    "thread.locked": function (e) {
      if (e.thread_id === threadId) banner(t("This thread is locked."));
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
        banner(t("You were away for a while. Reload the page to see everything new."));
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
    var match = /^\/threads\/(\d+)\/posts(\?.*)?$/.exec(form.getAttribute("action") || "");
    if (!match) return;
    form.addEventListener("submit", function (event) {
      // A chosen file goes with the plain form: the page reloads with the post.
      var file = form.querySelector('input[type="file"]');
      if (file && file.files && file.files.length) return;
      event.preventDefault();
      var area = form.querySelector("textarea");
      var button = form.querySelector('button[type="submit"]');
      var parent = form.querySelector('[name="parent_id"]');
      var idField = form.querySelector('[name="client_id"]');
      var language = form.querySelector('select[name="lang"]');
      var payload = { body: area.value, client_id: idField.value };
      if (parent) payload.parent_id = Number(parent.value);
      if (language && language.value) payload.lang = language.value;
      var status = form.querySelector("[data-live-status]");
      if (!status) {
        status = el("p", "meta");
        status.dataset.liveStatus = "1";
        status.setAttribute("role", "status");
        form.appendChild(status);
      }
      button.disabled = true;
      status.textContent = t("Sending…");
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
            status.textContent = result.status === 202 ? t("Sent: it will appear once a moderator approves it.") : t("Posted.");
            var details = form.closest("details");
            if (details) details.open = false;
          } else {
            status.textContent = (result.body.error && result.body.error.message) || t("Could not post.");
          }
          button.disabled = false;
        }).catch(function () {
          tries += 1;
          if (tries > 5) {
            status.textContent = t("No connection. Your text is kept; try again.");
            button.disabled = false;
            return;
          }
          status.textContent = t("No connection; trying again…");
          setTimeout(send, Math.min(16000, 1000 * Math.pow(2, tries)) * (0.5 + Math.random()));
        });
      })();
    });
  }
  var forms = doc.querySelectorAll('form[action$="/posts"]');
  for (var i = 0; i < forms.length; i++) enhanceForm(forms[i]);
})();
