/* The web chat simulator: forms post with fetch() and the conversation is redrawn in place.
 * Without JavaScript the same forms post normally and the page comes back (nothing here is
 * needed). The conversation's HTML is rendered and escaped by the server. */
(function () {
  "use strict";
  var root = document.getElementById("simulator");
  if (!root) {
    return;
  }
  var chat = document.getElementById("sim-transcript");
  var problem = document.getElementById("sim-error");
  var attach = document.getElementById("sim-attach");
  var busy = false;

  function scrollDown() {
    chat.scrollTop = chat.scrollHeight;
  }

  function say(message) {
    problem.textContent = message || "";
    problem.hidden = !message;
  }

  function show(answer) {
    chat.innerHTML = answer.html;
    say("");
    scrollDown();
  }

  function ask(url, options) {
    return fetch(url, options).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error(response.status === 400
          ? "This page has expired: reload it and try again."
          : "The simulator did not answer (" + response.status + ").");
      }
      return response.json().then(function (body) {
        if (!response.ok) {
          throw new Error(body.error || "The simulator refused that.");
        }
        return body;
      });
    });
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("sim-form")) {
      return;
    }
    event.preventDefault();
    if (busy) {
      return;
    }
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrf_token") {
        data[key] = value;
      }
    });
    busy = true;
    root.classList.add("sim-busy");
    ask(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": form.elements.csrf_token.value
      },
      body: JSON.stringify(data)
    }).then(function (answer) {
      show(answer);
      if (form.id === "sim-compose") {
        form.reset();
      }
    }).catch(function (error) {
      say(error.message);
    }).then(function () {
      busy = false;
      root.classList.remove("sim-busy");
      document.querySelector("#sim-compose input[name=text]").focus();
    });
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href='#sim-attach']");
    if (link) {
      attach.open = true;
    }
  });

  window.addEventListener("focus", function () {
    if (!busy) {
      ask(root.dataset.transcript, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(show)
        .catch(function (error) { say(error.message); });
    }
  });

  scrollDown();
}());
