// forum.js: progressive enhancement for forum pages. Everything works without it
// through plain forms; with it, times show in the reader's own time zone, new posts
// arrive live over a WebSocket, posting does not reload the page, and drafts survive
// a change of interface language.
(function () {
  "use strict";

  var doc = document;
  var root = doc.querySelector("[data-live-session]");
  var csrf = (doc.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // The API with the page's sign-in: {ok, status, body} once the answer is read.
  function callApi(method, url, payload) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }

  // Shared with the page's other scripts (decide.js, conference.js).
  window.forum = { callApi: callApi, fetchPage: fetchPage, t: t, tn: tn, localise: localise };

  // A page of this site as HTML text, or null when it cannot be had.
  function fetchPage(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; });
  }
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

  // tn("%(num)s contribution", "%(num)s contributions", n): the form the page's language
  // uses for n (its plural rules come from the browser), with %(num)s filled.
  function tn(singular, plural, n, params) {
    var forms = strings[singular], text = n === 1 ? singular : plural;
    if (forms && typeof forms === "object") {
      var category = "other";
      try { category = new Intl.PluralRules(pageLang).select(n); } catch (err) { /* old browser */ }
      text = forms[category] || forms.other || text;
    }
    var all = { num: n };
    for (var key in params || {}) all[key] = params[key];
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      if (!Object.prototype.hasOwnProperty.call(all, name)) return whole;
      var value = all[name];
      return typeof value === "number" ? value.toLocaleString(pageLang) : String(value);
    });
  }

  // --- times in the reader's time zone and language (the server's text stays as title) --
  // A time marked data-ago says how long ago ("3 hours ago"), kept current, with the
  // full date and zone on hover; others show the date and time in the reader's zone.
  var relative = null;
  try { relative = new Intl.RelativeTimeFormat(pageLang, { numeric: "auto" }); } catch (err) { relative = null; }
  var UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  function ago(when) {
    var seconds = (when.getTime() - Date.now()) / 1000, size = Math.abs(seconds);
    for (var i = 0; i < UNITS.length; i++) {
      if (size >= UNITS[i][1]) return relative.format(Math.round(seconds / UNITS[i][1]), UNITS[i][0]);
    }
    return relative.format(0, "second");
  }
  function fullTime(when) {
    try {
      return when.toLocaleString(pageLang, { dateStyle: "full", timeStyle: "long" });
    } catch (err) { return when.toLocaleString(); }
  }
  function localise(scope) {
    var times = scope.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      if (el.dataset.localised) continue;
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) continue;
      if (el.hasAttribute("data-ago") && relative) {
        el.title = fullTime(when);
        el.textContent = ago(when);
        el.dataset.localised = "1";
        continue;
      }
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
  if (relative) {
    setInterval(function () {
      var times = doc.querySelectorAll("time[data-ago][data-localised]");
      for (var i = 0; i < times.length; i++) times[i].textContent = ago(new Date(times[i].getAttribute("datetime")));
    }, 60000);
  }

  // A returning reader starts where they left off: at the first unread contribution,
  // unless the address already names a place on the page.
  var firstUnread = doc.querySelector("[data-first-unread]");
  if (firstUnread && !location.hash) firstUnread.scrollIntoView({ block: "start" });

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
    // A form of a session that closed while the page was open: the text stays, unsent.
    if (form.dataset.closed) { event.preventDefault(); return; }
    // Sent the plain way (not by this script): the next page has the answer instead.
    if (!event.defaultPrevented && form.matches("[data-post-form]")) leaving = true;
  });
  window.addEventListener("pagehide", function () { if (!leaving) saveDrafts(); });

  // --- the header's unread count: asked again whenever the tab comes back into view ------
  // (no per-person live channel exists; the page load counts, and this keeps it fresh)
  var inbox = doc.querySelector("[data-notifications-link]");

  function showUnread(n) {
    var badge = inbox.querySelector("[data-unread-badge]");
    if (!n) { if (badge) badge.remove(); return; }
    if (!badge) {
      badge = el("span", "badge badge-count");
      badge.setAttribute("data-unread-badge", "");
      inbox.appendChild(doc.createTextNode(" "));
      inbox.appendChild(badge);
    }
    var shown = el("span", "", n.toLocaleString(pageLang));
    shown.setAttribute("aria-hidden", "true");
    badge.replaceChildren(shown, el("span", "visually-hidden", tn("%(num)s unread", "%(num)s unread", n)));
  }

  if (inbox) {
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState !== "visible") return;
      fetch("/api/v1/me/notifications?limit=1", { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { if (body) showUnread(body.unread); })
        .catch(function () { /* offline: the count waits for the next page */ });
    });
  }

  // --- mentions: after "@" in a contribution, suggest the thread's participants ----------
  // Without this script "@Name" and "@[Full Name]" are typed by hand; the server decides.
  var mentionBox = null, mentionTimer = null, mentionSeq = 0;

  function mentionQuery(area) {
    var before = area.value.slice(0, area.selectionStart);
    var found = /(^|[\s(])@(\[[^\]\n]{0,60}|[^\s@\[\]]{1,60})$/.exec(before);
    return found ? { start: before.length - found[2].length - 1, text: found[2] } : null;
  }

  function closeMentions() {
    if (!mentionBox) return;
    var area = mentionBox.area;
    area.removeAttribute("aria-activedescendant");
    area.setAttribute("aria-expanded", "false");
    mentionBox.list.remove();
    mentionBox = null;
  }

  function chooseMention(option) {
    var area = mentionBox.area, query = mentionQuery(area);
    if (query) {
      var text = option.dataset.mention + " ";
      area.value = area.value.slice(0, query.start) + text + area.value.slice(area.selectionStart);
      area.selectionStart = area.selectionEnd = query.start + text.length;
    }
    closeMentions();
    area.focus();
  }

  function markMention(index) {
    var options = mentionBox.list.querySelectorAll("[role=option]");
    mentionBox.index = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === mentionBox.index ? "true" : "false");
    }
    mentionBox.area.setAttribute("aria-activedescendant", options[mentionBox.index].id);
  }

  function showMentions(area, people) {
    closeMentions();
    if (!people.length) return;
    var list = el("ul", "mention-suggestions");
    list.id = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", t("People to mention"));
    people.forEach(function (person, i) {
      var option = el("li", "", person.display_name);
      option.id = "mention-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("dir", "auto");
      option.dataset.mention = person.mention;
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keeps the focus in the text
        chooseMention(option);
      });
      list.appendChild(option);
    });
    area.insertAdjacentElement("afterend", list);
    area.setAttribute("aria-controls", list.id);
    area.setAttribute("aria-expanded", "true");
    mentionBox = { area: area, list: list, index: 0 };
    markMention(0);
  }

  doc.addEventListener("input", function (event) {
    var area = event.target, scope = area.closest && area.closest("[data-mention-thread]");
    if (area.tagName !== "TEXTAREA" || !scope) return;
    var query = mentionQuery(area);
    clearTimeout(mentionTimer);
    if (!query || query.text.replace("[", "").length < 1) { closeMentions(); return; }
    area.setAttribute("aria-autocomplete", "list");
    var seq = ++mentionSeq;
    mentionTimer = setTimeout(function () {
      var url = "/api/v1/threads/" + scope.dataset.mentionThread + "/mentionable?q=" +
        encodeURIComponent(query.text.replace("[", ""));
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { if (seq === mentionSeq) showMentions(area, body.items || []); })
        .catch(function () { /* offline: the name can still be typed */ });
    }, 200);
  });

  doc.addEventListener("keydown", function (event) {
    if (!mentionBox || event.target !== mentionBox.area) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      markMention(mentionBox.index + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      chooseMention(mentionBox.list.querySelectorAll("[role=option]")[mentionBox.index]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeMentions();
    }
  });
  doc.addEventListener("focusout", function (event) {
    if (mentionBox && event.target === mentionBox.area) closeMentions();
  });

  // --- moderation and flags: a confirmation dialog, then the change in place ----------
  // A button that asks first (data-confirm) opens its confirmation page's own form in a
  // dialog; that form, and the forms marked data-in-place, are sent without leaving the
  // page, and what the server then shows replaces the post concerned and the notice of
  // what was done (with its Undo, sent the same way).
  function swapFrom(page, selector) {
    var here = doc.querySelector(selector), there = page.querySelector(selector);
    if (!here || !there) return null;
    var node = doc.importNode(there, true);
    here.parentNode.replaceChild(node, here);
    localise(node);
    if (root) {
      var replies = node.querySelectorAll("form[data-post-form]");
      for (var i = 0; i < replies.length; i++) enhanceForm(replies[i]);
    }
    return node;
  }

  function applyOutcome(page) {
    var outcome = page.querySelector("[data-outcome]");
    var target = outcome && outcome.dataset.outcomeTarget;
    var earlier = doc.querySelectorAll("[data-outcome]");
    for (var i = 0; i < earlier.length; i++) earlier[i].remove();
    if (target) swapFrom(page, "#" + target);
    swapFrom(page, "[data-outcome-slot]");
    swapFrom(page, '[data-live-swap="heading"]');
    swapFrom(page, '[data-live-swap="thread-controls"]');
    var shown = doc.querySelector("[data-outcome]");
    if (shown) {
      shown.tabIndex = -1;
      shown.focus();
    }
  }

  // Actions sent from this page and not yet answered: their live events are not to
  // redraw a post that the answer is about to show with what was done.
  var pendingInPlace = 0;
  function sendInPlace(form) {
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    pendingInPlace++;
    function done() {
      pendingInPlace--;
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
    }
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      return response.text().then(function (text) { return { ok: response.ok, text: text }; });
    }).then(function (result) {
      done();
      var page = new DOMParser().parseFromString(result.text, "text/html");
      if (!result.ok) {
        var said = page.querySelector("[data-error-message]");
        clearErrors(form);
        showError(form, said ? said.textContent : t("Could not do this. Reload the page and try again."), "reason");
        return;
      }
      var dialog = form.closest("dialog");
      if (dialog) dialog.close();
      applyOutcome(page);
    }).catch(function () {
      done();
      clearErrors(form);
      showError(form, t("No connection; try again."), null);
    });
  }

  function openConfirm(link) {
    fetchPage(link.href).then(function (text) {
      var page = text && new DOMParser().parseFromString(text, "text/html");
      var form = page && page.querySelector("form[data-confirm-form]");
      if (!form) { location.href = link.href; return; } // the page says why
      var dialog = el("dialog", "confirm-dialog");
      var heading = el("h2", "", page.querySelector("h1").textContent);
      heading.id = "confirm-dialog-heading";
      dialog.setAttribute("aria-labelledby", heading.id);
      dialog.appendChild(heading);
      var asked = doc.importNode(form, true);
      asked.removeAttribute("aria-labelledby");
      dialog.appendChild(asked);
      var cancel = asked.querySelector("[data-cancel]");
      if (cancel) {
        var button = el("button", "button-secondary", cancel.textContent);
        button.type = "button";
        button.addEventListener("click", function () { dialog.close(); });
        cancel.parentNode.replaceChild(button, cancel);
      }
      dialog.addEventListener("close", function () {
        dialog.remove();
        if (doc.contains(link)) link.focus();
      });
      doc.body.appendChild(dialog);
      dialog.showModal();
    }).catch(function () { location.href = link.href; });
  }

  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || !window.HTMLDialogElement) return;
    event.preventDefault();
    openConfirm(link);
  });
  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-in-place], dialog form[data-confirm-form]")) return;
    event.preventDefault();
    sendInPlace(form);
  });

  // --- pages that refresh themselves (a session's participation) -----------------------
  // The part marked data-refresh is fetched again every so many seconds and swapped in,
  // unless a dialog is open or the reader is typing in it.
  var refreshed = doc.querySelector("[data-refresh]");
  if (refreshed && Number(refreshed.dataset.refresh) > 0) {
    setInterval(function () {
      if (doc.hidden || doc.querySelector("dialog[open]")) return;
      var here = doc.querySelector("[data-refresh]");
      if (!here || here.contains(doc.activeElement)) return;
      var address = location.pathname;
      fetchPage(address).then(function (text) {
        if (!text) return;
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.querySelector("[data-refresh]");
        var outcome = fresh && fresh.querySelector("[data-outcome]");
        if (outcome) outcome.remove(); // what a form did is said once, not again
        if (fresh) swapFrom(page, "[data-refresh]");
      }).catch(function () {});
    }, Number(refreshed.dataset.refresh) * 1000);
  }

  if (!root || !(window.WebSocket || window.EventSource)) return;

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

  // The post's files, as the page lists them (files/_file.html): right after its body.
  // Events carry them (`attachments`); a hidden post has none.
  function fillFiles(article, post) {
    var old = article.querySelector("ul.attachments");
    if (old) old.remove();
    if (!post.attachments || !post.attachments.length) return;
    var list = el("ul", "attachments");
    list.setAttribute("aria-label", t("Attached files"));
    post.attachments.forEach(function (file) {
      var line = el("span", "file");
      if (file.preview_url) {
        var thumbLink = el("a");
        thumbLink.href = file.url;
        var image = el("img");
        image.src = file.preview_url;
        image.alt = "";
        image.width = 96;
        image.loading = "lazy";
        thumbLink.appendChild(image);
        line.appendChild(thumbLink);
        line.appendChild(doc.createTextNode(" "));
      }
      var link = el("a", "", file.name);
      link.href = file.url;
      link.setAttribute("download", "");
      line.appendChild(link);
      line.appendChild(doc.createTextNode(" "));
      var size = Math.floor((file.size + 1023) / 1024);
      line.appendChild(el("span", "meta", t("%(type)s, %(size)s KB", { type: file.media_type, size: size })));
      var item = el("li");
      item.appendChild(line);
      list.appendChild(item);
    });
    var body = article.querySelector(".post-body");
    body.parentNode.insertBefore(list, body.nextSibling);
  }

  function buildPost(post, depth) {
    var article = el("article", "post" + (depth ? " depth-" + depth : ""));
    article.id = "post-" + post.id;
    article.tabIndex = -1;
    article.dataset.depth = String(depth);
    var head = el("header", "post-author");
    var name = el("strong");
    name.appendChild(el("bdi", "", post.author.display_name));
    head.appendChild(name);
    if (post.author.country) head.appendChild(el("span", "meta", countryName(post.author.country)));
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
    fillFiles(article, post);
    var foot = el("footer", "post-footer meta");
    var link = el("a");
    link.href = "#post-" + post.id;
    var time = el("time", "", post.created_at);
    time.setAttribute("datetime", post.created_at);
    time.setAttribute("data-ago", "");
    var number = post.status === "pending" || onlyLang ? 0 : nextNumber();
    if (number) {
      article.dataset.number = String(number);
      link.className = "post-number";
      link.title = t("Link to this contribution");
      link.textContent = t("#%(number)s", { number: number });
      foot.appendChild(link);
      foot.appendChild(doc.createTextNode(" "));
      foot.appendChild(time);
    } else {
      link.appendChild(time);
      foot.appendChild(link);
    }
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
      var actions = el("div", "post-actions");
      actions.appendChild(reply);
      article.appendChild(actions);
      enhanceForm(form);
    }
    addControls(article, post);
    localise(article);
    return article;
  }

  // Flag, or a moderator's buttons, as the server gives them to every published post:
  // its template stands for post 0 by "__AUTHOR__", both replaced by this one's.
  function addControls(article, post) {
    var template = doc.querySelector("template[data-post-controls]");
    if (!template || post.status !== "published") return;
    var controls = doc.importNode(template.content, true);
    var mine = reader && post.author.id === reader;
    var links = controls.querySelectorAll("a[href], form[action]");
    for (var i = 0; i < links.length; i++) {
      var node = links[i], name = node.tagName === "A" ? "href" : "action";
      var target = node.getAttribute(name).replace("/posts/0/", "/posts/" + post.id + "/");
      node.setAttribute(name, target);
      var isSuspend = /\/suspend-author$/.test(target);
      if ((isSuspend && (mine || !post.author.id)) || (/\/flag$/.test(target) && mine)) node.remove();
      else if (isSuspend) node.textContent = node.textContent.replace("__AUTHOR__", post.author.display_name);
    }
    var nexts = controls.querySelectorAll('input[name="next"]');
    for (var j = 0; j < nexts.length; j++) nexts[j].value = nexts[j].value.replace(/#post-0$/, "#post-" + post.id);
    if (!controls.querySelector("a, form")) return;
    var actions = article.querySelector(".post-actions");
    if (!actions) {
      actions = el("div", "post-actions");
      article.appendChild(actions);
    }
    actions.appendChild(controls);
  }

  // A country's name in the page's language, as the server writes it.
  var regions = null;
  try { regions = new Intl.DisplayNames([pageLang], { type: "region" }); } catch (err) { regions = null; }
  function countryName(code) {
    try { return regions ? regions.of(code) || code : code; } catch (err) { return code; }
  }

  // The number the next post of the thread takes: one after the highest shown.
  function nextNumber() {
    var highest = 0, numbered = doc.querySelectorAll("article.post[data-number]");
    for (var i = 0; i < numbered.length; i++) highest = Math.max(highest, Number(numbered[i].dataset.number));
    return highest + 1;
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
    if (post.attachments) fillFiles(article, post);
    if (edited && post.edited_at) {
      var mark = article.querySelector("[data-edited]");
      if (!mark) {
        mark = el("span");
        mark.dataset.edited = "1";
        var footer = article.querySelector(".post-footer");
        footer.insertBefore(mark, footer.querySelector("[data-edit-post]"));
      }
      // "edited %(when)s", the time a <time> in the reader's zone, wherever the
      // language puts it.
      var parts = t("edited %(when)s").split("%(when)s");
      var time = el("time");
      time.setAttribute("datetime", post.edited_at);
      time.textContent = post.edited_at;
      mark.textContent = "";
      mark.appendChild(doc.createTextNode(parts[0]));
      mark.appendChild(time);
      mark.appendChild(doc.createTextNode(parts.slice(1).join("")));
      localise(mark);
    }
  }

  // A moderator's page shows a post hidden or restored by another moderator as the
  // server does for them (the folded text, Restore or Hide), not as readers see it.
  function moderating() {
    var template = doc.querySelector("template[data-post-controls]");
    return !!(template && template.content.querySelector(".moderation-controls"));
  }
  function showAsServerDoes(postId) {
    if (pendingInPlace) return;
    fetchPage(location.pathname + location.search).then(function (text) {
      var article = doc.getElementById("post-" + postId);
      if (!text || !article || typedIn(article) || pendingInPlace) return;
      if (article.querySelector("[data-outcome]")) return;  // acted on from here meanwhile
      swapFrom(new DOMParser().parseFromString(text, "text/html"), "#post-" + postId);
    }).catch(function () { /* offline: the next load shows it */ });
  }

  // "N contributions" counts the posts the page shows, live ones included.
  function updateCount() {
    var head = doc.querySelector("[data-post-count]");
    if (!head || !list) return;
    var n = list.querySelectorAll("article.post").length;
    var name = head.dataset.languageName;
    head.textContent = name
      ? tn("%(num)s contribution in %(language)s", "%(num)s contributions in %(language)s", n, { language: name })
      : tn("%(num)s contribution", "%(num)s contributions", n);
  }

  // --- the session's state: every place that shows it says the same -------------------
  // A field holding text (not a hidden one): a part of the page that has one is kept.
  function typedIn(scope) {
    var fields = scope.querySelectorAll("textarea, input[type='text']");
    for (var i = 0; i < fields.length; i++) if (fields[i].value.trim()) return true;
    return false;
  }

  // Closed or locked: nothing can be sent, but typed text stays visible and copyable.
  function closeForms() {
    var forms = doc.querySelectorAll("form[data-post-form]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      form.dataset.closed = "1";
      var buttons = form.querySelectorAll("button");
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = true;
      var areas = form.querySelectorAll("textarea, input[type='text']");
      for (var k = 0; k < areas.length; k++) areas[k].readOnly = true;
      var area = form.querySelector("textarea");
      if (area && area.value.trim() && !form.querySelector("[data-kept-note]")) {
        var note = el("p", "hint", t("Your text, so you can keep a copy"));
        note.dataset.keptNote = "1";
        area.parentNode.insertBefore(note, area);
      }
    }
  }

  // Open again: the same forms take text again, without a reload.
  function openForms() {
    var forms = doc.querySelectorAll("form[data-closed]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      delete form.dataset.closed;
      var buttons = form.querySelectorAll("button");
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
      var areas = form.querySelectorAll("textarea, input[type='text']");
      for (var k = 0; k < areas.length; k++) areas[k].readOnly = false;
      var note = form.querySelector("[data-kept-note]");
      if (note) note.remove();
    }
  }

  // The parts of the page marked data-live-swap (status bar, badges, forms, lists) are
  // fetched again as the server now shows them; a part holding typed text is kept.
  // Spread over a second or two, so that a close does not bring every reader at once.
  var refreshTimer = null;
  function refreshLater() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 250 + Math.random() * 1500);
  }
  function refresh() {
    fetchPage(location.href).then(function (text) {
        if (!text) return;
        var fresh = new DOMParser().parseFromString(text, "text/html");
        var parts = doc.querySelectorAll("[data-live-swap]");
        for (var i = 0; i < parts.length; i++) {
          var part = parts[i];
          var next = fresh.querySelector('[data-live-swap="' + part.dataset.liveSwap + '"]');
          if (!next || typedIn(part)) continue;
          var node = doc.importNode(next, true);
          keepOutcomes(part, node);
          part.parentNode.replaceChild(node, part);
          localise(node);
          var forms = node.querySelectorAll('form[action$="/posts"], form[data-post-form]');
          for (var j = 0; j < forms.length; j++) enhanceForm(forms[j]);
        }
        list = doc.querySelector("[data-live-posts]");
        if (root.dataset.closed) closeForms();
        updateCount();
      })
      .catch(function () { /* offline: the banner already says what changed */ });
  }

  // A post that shows what was just done to it from here (with its Undo) stays as it
  // is when the part around it is fetched again: the fresh copy does not say it.
  function keepOutcomes(part, node) {
    var said = part.querySelectorAll("article [data-outcome]");
    for (var i = 0; i < said.length; i++) {
      var article = said[i].closest("article");
      var fresh = article && article.id ? node.querySelector("#" + article.id) : null;
      if (fresh) fresh.parentNode.replaceChild(article, fresh);
    }
  }

  function closed(message) {
    banner(message);
    root.dataset.closed = "1";
    closeForms();
    refreshLater();
  }
  function reopened(message) {
    banner(message);
    delete root.dataset.closed;
    openForms();
    refreshLater();
  }

  // --- a session page: each thread's count of new contributions, kept current --------
  var reader = Number(root.dataset.reader || 0);
  function countUnread(e) {
    var place = doc.querySelector('[data-unread-thread="' + e.thread_id + '"]');
    var author = e.data.author || {};
    if (!place || (reader && author.id === reader)) return; // one's own is never new
    var n = Number(place.dataset.unread || 0) + 1;
    place.dataset.unread = String(n);
    place.textContent = " · ";
    place.appendChild(el("strong", "unread", tn("%(num)s new", "%(num)s new", n)));
  }

  // --- events --------------------------------------------------------------------------
  var handlers = {
    "post.created": function (e) {
      if (!threadId) { countUnread(e); return; }
      if (insertPost(e.data)) {
        // Someone else's, just arrived: marked for a moment so the eye finds it.
        var arrived = doc.getElementById("post-" + e.data.id);
        arrived.classList.add("arrived");
        setTimeout(function () { arrived.classList.remove("arrived"); }, 6000);
        countArrival();
        updateCount();
        return;
      }
      // Already shown (our own post awaiting review, now approved): refresh it.
      replaceBody(e.data, false);
      var held = doc.querySelector("#post-" + e.data.id + " [data-held]");
      if (held) held.remove();
    },
    "post.restored": function (e) {
      var article = doc.getElementById("post-" + e.data.id);
      if (article && article.querySelector("[data-outcome]")) return;  // restored from here
      if (article && moderating()) { showAsServerDoes(e.data.id); return; }
      if (insertPost(e.data)) updateCount(); else replaceBody(e.data, false);
    },
    "post.edited": function (e) { replaceBody(e.data, true); },
    "post.hidden": function (e) {
      // Hidden from this page: it already shows the server's own rendering (the
      // moderator's folded text, and what was done with its Undo). Keep that.
      var article = doc.getElementById("post-" + e.data.id);
      if (article && article.querySelector("[data-outcome]")) return;
      if (article && moderating()) { showAsServerDoes(e.data.id); return; }
      replaceBody(e.data, false);
    },
    "post.rejected": function (e) {
      // Our own post that was waiting for review, turned down by the moderators.
      var article = doc.getElementById("post-" + e.data.id);
      if (article && article.querySelector("[data-held]")) article.remove();
      updateCount();
    },
    "question.added": function () { banner(t("A new guiding question was added. Reload the page to see it.")); },
    "session.opened": function () { reopened(t("The session is open.")); },
    "session.reopened": function () { reopened(t("The session is open again for a new period.")); },
    "session.extended": function () { banner(t("The closing time is changed.")); refreshLater(); },
    "session.closed": function () { closed(t("The session is closed: no more contributions.")); },
    "thread.locked": function (e) {
      if (e.thread_id === threadId) closed(t("This thread is locked."));
    },
    "thread.unlocked": function (e) {
      if (e.thread_id === threadId) reopened(t("This thread is open again."));
    }
  };

  // --- the connection: resume from the last event, back off on failure ---------------
  // Over a WebSocket; where the upgrade keeps failing (a proxy or firewall that blocks
  // it), over Server-Sent Events from the same event log, with the same cursor.
  function handleFrame(frame) {
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
      // Other scripts of the page (decide.js) take the events they know.
      doc.dispatchEvent(new CustomEvent("forum:event", { detail: frame }));
    }
  }
  function parsed(text) {
    try { return JSON.parse(text); } catch (err) { return null; }
  }
  function retryLater(reconnect) {
    attempts += 1;
    // Exponential back-off with full jitter, so a restarted server is not stampeded.
    var ceiling = Math.min(30000, 1000 * Math.pow(2, attempts));
    setTimeout(reconnect, Math.random() * ceiling);
  }

  var socket = null, attempts = 0, failedUpgrades = 0;
  var UPGRADE_TRIES = 2;  // closed before ever opening this many times: use the stream
  // While on the stream, try a WebSocket again this often (the network may have changed).
  var WEBSOCKET_AGAIN_MS = window.forumWebSocketAgainMs || 5 * 60 * 1000;
  var stream = null, probeTimer = null;
  function socketUrl() {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/live";
  }
  function subscribe(ws) {
    ws.send(JSON.stringify({ type: "subscribe", session_id: sessionId, after: lastEventId }));
  }
  function connect() {
    if (failedUpgrades >= UPGRADE_TRIES && window.EventSource) { follow(); return; }
    var opened = false, ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (err) {
      failedUpgrades = UPGRADE_TRIES;
      follow();
      return;
    }
    socket = ws;
    ws.onopen = function () {
      opened = true;
      failedUpgrades = 0;
      subscribe(ws);
    };
    ws.onmessage = function (message) {
      var frame = parsed(message.data);
      if (frame) handleFrame(frame);
    };
    ws.onclose = function (closing) {
      socket = null;
      if (closing.code === 4403 || closing.code === 4401) return; // not allowed: stay quiet
      if (opened) { retryLater(connect); return; }
      // Closed before opening: blocked on the way only if the server itself answers
      // (a server that is down or restarting fails the same way, and comes back).
      fetch("/healthz", { cache: "no-store" })
        .then(function (response) { if (response.ok) failedUpgrades += 1; })
        .catch(function () { /* unreachable: not a blocked upgrade */ })
        .then(function () {
          if (failedUpgrades >= UPGRADE_TRIES && window.EventSource) follow();
          else retryLater(connect);
        });
    };
  }
  // The event stream: the browser reconnects by itself with Last-Event-ID; a `close`
  // message says why the server ended it, as a socket's close code would.
  function follow() {
    var url = "/api/v1/live/events?session_id=" + sessionId + "&after=" + lastEventId;
    var current = stream = new EventSource(url);
    function again() { if (stream === current) follow(); }  // unless back on a socket
    current.onmessage = function (message) {
      var frame = parsed(message.data);
      if (frame) handleFrame(frame);
    };
    current.addEventListener("close", function (message) {
      current.close();
      var ending = parsed(message.data) || {};
      if (ending.code === 4401 || ending.code === 4403 || ending.code === 4404) {
        stream = null;
        return;
      }
      retryLater(again);  // from the newest event seen, whichever way it came
    });
    current.addEventListener("refused", function () { current.close(); stream = null; });
    current.onerror = function () {
      if (current.readyState === EventSource.CLOSED) retryLater(again);
    };
    if (!probeTimer) probeTimer = setTimeout(probe, WEBSOCKET_AGAIN_MS);
  }
  // Now and then, from the stream, a WebSocket again: subscribed from the same cursor,
  // it replaces the stream once its `subscribed` arrives; until then the stream goes
  // on. An event that comes both ways is applied once (handleFrame keeps the newest id).
  function probe() {
    probeTimer = null;
    if (!stream) return;
    var trial;
    try { trial = new WebSocket(socketUrl()); } catch (err) { follow(); return; }
    trial.onopen = function () { subscribe(trial); };
    trial.onmessage = function (message) {
      var frame = parsed(message.data);
      if (!frame) return;
      if (frame.type === "subscribed" && stream) {
        stream.close();
        stream = null;
        failedUpgrades = 0;
        trial.onclose = null;
        trial.close();  // and open it the ordinary way, with its reconnection rules
        connect();
        return;
      }
      handleFrame(frame);
    };
    trial.onclose = function () {
      if (stream && !probeTimer) probeTimer = setTimeout(probe, WEBSOCKET_AGAIN_MS);
    };
  }
  connect();

  // --- a refusal shown as the page shows it without the script ------------------------
  // Next to the field it is about (as _form.html marks an error), or above the form.
  function clearErrors(form) {
    var shown = form.querySelectorAll("[data-js-error]");
    for (var i = 0; i < shown.length; i++) shown[i].remove();
    var invalid = form.querySelectorAll("[aria-invalid]");
    for (var j = 0; j < invalid.length; j++) {
      invalid[j].removeAttribute("aria-invalid");
      var ids = (invalid[j].getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && !/-error$/.test(id);
      });
      if (ids.length) invalid[j].setAttribute("aria-describedby", ids.join(" "));
      else invalid[j].removeAttribute("aria-describedby");
      var row = invalid[j].closest(".form-row");
      if (row) row.classList.remove("has-error");
    }
  }

  function showError(form, message, fieldName) {
    var field = fieldName ? form.querySelector('[name="' + String(fieldName).replace(/"/g, "") + '"]') : null;
    if (!field || field.type === "hidden") field = null;
    if (field) {
      var row = field.closest(".form-row");
      var note = el("p", "field-error");
      note.id = (field.id || "field-" + fieldName) + "-error";
      note.dataset.jsError = "1";
      note.appendChild(el("span", "visually-hidden", t("Error:") + " "));
      note.appendChild(doc.createTextNode(message));
      field.parentNode.insertBefore(note, field);
      if (row) row.classList.add("has-error");
      field.setAttribute("aria-invalid", "true");
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
      field.focus();
      return;
    }
    var box = el("div", "notice notice-error");
    box.setAttribute("role", "alert");
    box.dataset.jsError = "1";
    box.appendChild(el("p", "", message));
    form.insertBefore(box, form.firstChild);
  }

  // --- a preview above the form, rendered by the server as the post would be ---------
  function showPreview(form) {
    var area = form.querySelector("textarea");
    var scope = form.closest("[data-mention-thread]");
    var asked = { body: area.value };
    if (scope) asked.thread_id = Number(scope.dataset.mentionThread);
    callApi("POST", "/api/v1/preview", asked).then(function (result) {
      if (!result.ok) {
        var problem = result.body.error || {};
        showError(form, problem.message || t("Could not show a preview."), problem.field || "body");
        return;
      }
      var box = form.previousElementSibling;
      if (!box || !box.matches("[data-preview]")) {
        box = el("section", "preview");
        box.dataset.preview = "1";
        box.setAttribute("aria-label", t("Preview"));
        box.setAttribute("role", "region");
        box.appendChild(el("div", "post-body"));
        form.parentNode.insertBefore(box, form);
      }
      var body = box.querySelector(".post-body");
      body.setAttribute("dir", "auto");
      body.innerHTML = result.body.html; // sanitized by the server, as posts are
      announce(t("Preview"));
    }).catch(function () {
      showError(form, t("No connection. Your text is kept; try again."), "body");
    });
  }

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
      if (form.dataset.closed) return;
      clearErrors(form);
      if (event.submitter && event.submitter.name === "preview") { showPreview(form); return; }
      var area = form.querySelector("textarea");
      var button = form.querySelector('button[type="submit"]');
      var parent = form.querySelector('[name="parent_id"]');
      var idField = form.querySelector('[name="client_id"]');
      var language = form.querySelector('select[name="lang"]');
      var payload = { body: area.value, client_id: idField.value };
      if (parent) payload.parent_id = Number(parent.value);
      if (language && language.value) payload.lang = language.value;
      // The participation terms, accepted with this post where the form asks for it.
      var accept = form.querySelector('input[name="accept_terms"]');
      if (accept && accept.checked) payload.accept_terms = Number(accept.value);
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
        callApi("POST", "/api/v1/threads/" + match[1] + "/posts", payload).then(function (result) {
          if (result.ok) {
            if (insertPost(result.body)) updateCount();
            area.value = "";
            idField.value = randomId();
            // Accepted now: no form on this page asks again.
            var boxes = doc.querySelectorAll("[data-terms-accept]");
            for (var b = 0; b < boxes.length; b++) boxes[b].parentNode.removeChild(boxes[b]);
            status.textContent = result.status === 202 ? t("Sent: it will appear once a moderator approves it.") : t("Posted.");
            var details = form.closest("details");
            if (details) details.open = false;
            // The reader goes on from the post just written (read aloud, in view).
            var article = doc.getElementById("post-" + result.body.id);
            if (article) article.focus();
          } else {
            var problem = result.body.error || {};
            status.textContent = "";
            showError(form, problem.message || t("Could not post."), problem.field);
          }
          button.disabled = !!form.dataset.closed;
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
  var forms = doc.querySelectorAll('form[action$="/posts"], form[data-post-form]');
  for (var i = 0; i < forms.length; i++) enhanceForm(forms[i]);

  // --- editing in place: the edit page's own form supplies the text (and its refusal) -
  function editInPlace(link) {
    var article = link.closest("article.post");
    var body = article && article.querySelector(".post-body");
    if (!body || article.querySelector("[data-edit-form]")) return;
    var postId = link.dataset.editPost;
    fetchPage(link.href).then(function (text) {
        var source = text && new DOMParser().parseFromString(text, "text/html").querySelector('textarea[name="body"]');
        if (!source) { location.href = link.href; return; } // the page says why
        var form = el("form", "stack");
        form.dataset.editForm = "1";
        var row = el("div", "form-row");
        var label = el("label", "", t("Edit your contribution"));
        var area = el("textarea");
        area.id = "edit-" + postId;
        area.name = "body";
        area.rows = 6;
        area.required = true;
        area.maxLength = 20000;
        area.dir = "auto";
        area.value = source.value;
        label.htmlFor = area.id;
        row.appendChild(label);
        row.appendChild(area);
        var actions = el("div", "form-actions");
        var save = el("button", "button", t("Save changes"));
        save.type = "submit";
        var cancel = el("button", "button-secondary", t("Cancel"));
        cancel.type = "button";
        actions.appendChild(save);
        actions.appendChild(cancel);
        form.appendChild(row);
        form.appendChild(actions);
        body.hidden = true;
        body.parentNode.insertBefore(form, body.nextSibling);
        area.focus();
        function done() {
          form.remove();
          body.hidden = false;
          link.focus();
        }
        cancel.addEventListener("click", done);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          clearErrors(form);
          save.disabled = true;
          callApi("PATCH", "/api/v1/posts/" + postId, { body: area.value }).then(function (result) {
            save.disabled = false;
            if (result.ok) {
              replaceBody(result.body, true);
              done();
              announce(t("Your changes are saved."));
            } else {
              var problem = result.body.error || {};
              showError(form, problem.message || t("Could not save your changes."), problem.field || "body");
            }
          }).catch(function () {
            save.disabled = false;
            showError(form, t("No connection. Your text is kept; try again."), "body");
          });
        });
      })
      .catch(function () { location.href = link.href; });
  }
  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-edit-post]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    editInPlace(link);
  });
})();
