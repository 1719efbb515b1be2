// decide.js: reactions and polls without reloading the page. Without it the same
// buttons and forms post and come back; with it they go through the API, and what
// others do arrives live (forum.js passes its events on as "forum:event").
(function () {
  "use strict";

  var doc = document;
  if (!window.forum) return;
  var callApi = window.forum.callApi, fetchPage = window.forum.fetchPage;

  // --- reactions ---------------------------------------------------------------------
  function showCounts(postId, counts, mine) {
    var box = doc.querySelector('[data-reactions="' + postId + '"]');
    if (!box) return;
    var total = 0;
    for (var kind in counts) total += counts[kind];
    var people = box.querySelector("[data-reaction-people]");
    if (people) people.hidden = total === 0;
    var buttons = box.querySelectorAll("[data-kind]");
    for (var i = 0; i < buttons.length; i++) {
      kind = buttons[i].dataset.kind;
      var count = buttons[i].querySelector("[data-count]");
      if (count) count.textContent = (counts[kind] || 0).toLocaleString(doc.documentElement.lang || undefined);
      if (mine && buttons[i].tagName === "BUTTON") {
        var on = mine.indexOf(kind) >= 0;
        buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
        var field = buttons[i].form.querySelector("[data-reaction-on]");
        if (field) field.value = on ? "0" : "1";
      }
    }
  }

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-reaction-form]")) {
      event.preventDefault();
      var postId = form.action.match(/\/posts\/(\d+)\/reactions/)[1];
      var kind = form.elements.kind.value, on = form.elements.on.value === "1";
      var url = "/api/v1/posts/" + postId + "/reactions/" + kind;
      callApi(on ? "PUT" : "DELETE", url).then(function (result) {
        if (result.ok) showCounts(postId, result.body.counts, result.body.mine);
        else form.submit(); // the page says why, as without the script
      }).catch(function () { form.submit(); });
    } else if (form.matches("[data-poll-vote]")) {
      event.preventDefault();
      vote(form);
    }
  });

  // "Who reacted": the list from its page, shown under the buttons (a second click hides
  // it); without the script the link opens that page.
  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-reaction-people]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var box = link.closest("[data-reactions]");
    var shown = box.parentNode.querySelector('[data-people-of="' + box.dataset.reactions + '"]');
    if (shown) { shown.remove(); link.setAttribute("aria-expanded", "false"); return; }
    fetchPage(link.href).then(function (text) {
      var list = text && new DOMParser().parseFromString(text, "text/html").querySelector(".reaction-people");
      if (!list) { location.href = link.href; return; }
      var node = doc.importNode(list, true);
      node.dataset.peopleOf = box.dataset.reactions;
      box.parentNode.insertBefore(node, box.nextSibling);
      link.setAttribute("aria-expanded", "true");
    }).catch(function () { location.href = link.href; });
  });

  // --- polls -------------------------------------------------------------------------
  function voteOf(form) {
    var payload = { choices: [], reason: "" };
    for (var i = 0; i < form.elements.length; i++) {
      var input = form.elements[i];
      if (input.name === "position" && input.checked) payload.position = input.value;
      else if (input.name === "choice" && input.checked) payload.choices.push(Number(input.value));
      else if (/^choice-\d+$/.test(input.name) && input.checked) payload.choices.push(Number(input.name.slice(7)));
      else if (input.name === "reason") payload.reason = input.value;
    }
    return payload;
  }

  function vote(form) {
    var pollId = form.dataset.pollVote;
    var error = form.querySelector("[data-poll-error]");
    callApi("PUT", "/api/v1/polls/" + pollId + "/vote", voteOf(form)).then(function (result) {
      if (result.ok) { refreshPoll(pollId); return; }
      if (error && result.body && result.body.error) {
        error.textContent = result.body.error.message;
        error.hidden = false;
      } else {
        form.submit();
      }
    }).catch(function () { form.submit(); });
  }

  // A poll as the server now shows it to this reader (its own page holds it).
  function refreshPoll(pollId) {
    fetchPage("/polls/" + pollId).then(function (text) {
      if (!text) return;
      var fresh = new DOMParser().parseFromString(text, "text/html").querySelector('[data-poll="' + pollId + '"]');
      var shown = doc.querySelector('[data-poll="' + pollId + '"]');
      if (!fresh) return;
      var typing = shown && shown.contains(doc.activeElement) && doc.activeElement.tagName === "TEXTAREA";
      if (typing) return; // never take away what someone is writing
      var node = doc.importNode(fresh, true);
      if (shown) { shown.parentNode.replaceChild(node, shown); return; }
      var list = doc.querySelector("[data-polls]");
      if (list) list.insertBefore(node, list.querySelector("h2").nextSibling);
    }).catch(function () { /* offline: the next event or a reload shows it */ });
  }

  // --- live events ---------------------------------------------------------------------
  var root = doc.querySelector("[data-live-session]");
  var threadId = root && root.dataset.liveThread ? Number(root.dataset.liveThread) : null;
  doc.addEventListener("forum:event", function (event) {
    var frame = event.detail;
    if (frame.type === "reaction.changed") {
      showCounts(frame.data.post_id, frame.data.counts, null);
    } else if (frame.type.indexOf("poll.") === 0) {
      // Polls of this page only: this thread's, or the session's own on its page.
      if ((frame.data.thread_id || null) !== threadId) return;
      refreshPoll(frame.data.id);
    }
  });
})();
