// The console inbox, for browsers with JavaScript (the pages work without it): every few
// seconds ask the server for the page's fingerprint and, when it changed, fetch the page and
// swap its live part in; keep the transcript scrolled to the newest message; put a saved
// reply into the reply box when one is chosen.
(function () {
  "use strict";

  function scrollDown() {
    var transcript = document.getElementById("transcript");
    if (transcript) {
      transcript.scrollTop = transcript.scrollHeight;
    }
  }

  function poll(live) {
    var every = (parseInt(live.dataset.every, 10) || 4) * 1000;
    var busy = false;
    window.setInterval(function () {
      if (busy || document.hidden) {
        return;
      }
      busy = true;
      fetch(live.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) {
          if (!answer.ok) {
            throw new Error("poll answered " + answer.status);
          }
          return answer.json();
        })
        .then(function (data) {
          if (data.stamp === live.dataset.stamp) {
            return null;
          }
          return fetch(window.location.href, { credentials: "same-origin" }).then(function (page) {
            return page.ok ? page.text() : null;
          });
        })
        .then(function (html) {
          if (!html) {
            return;
          }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
          if (fresh) {
            live.replaceWith(fresh);
            live = fresh;
            scrollDown();
          }
        })
        .catch(function () {
          // Offline or logged out: the next tick tries again; a reload shows the login.
        })
        .finally(function () {
          busy = false;
        });
    }, every);
  }

  var live = document.getElementById("live");
  if (live && live.dataset.poll) {
    poll(live);
  }
  scrollDown();

  var saved = document.getElementById("saved-reply");
  var box = document.getElementById("reply-text");
  if (saved && box) {
    saved.addEventListener("change", function () {
      var option = saved.options[saved.selectedIndex];
      if (option && option.dataset.body) {
        box.value = box.value ? box.value + "\n" + option.dataset.body : option.dataset.body;
        saved.value = "";
        box.focus();
      }
    });
  }
})();
