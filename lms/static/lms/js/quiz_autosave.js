/* Saves the quiz form in the background a second after the last change and
   says when in the form's status region. A progressive enhancement: without
   JavaScript the «Save answers» button does the same. The server answers
   only whether and when it saved, never how well.
   The form carries: data-autosave-url, data-status-id, data-saved-text (with
   "HH:MM" in place of the time) and data-error-text. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById(form.getAttribute("data-status-id"));
  var clock = new Intl.DateTimeFormat("uk-UA", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Kyiv"
  });
  var timer = null;
  var saving = false;
  var again = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function report(ok, data) {
    if (ok && data && data.saved) {
      var time = clock.format(new Date(data.saved_at));
      say(form.getAttribute("data-saved-text").replace("HH:MM", time));
      return;
    }
    var errors = (data && data.errors) || {};
    say(errors.__all__ || form.getAttribute("data-error-text"));
  }

  function save() {
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (data) {
          report(response.ok, data);
        });
      })
      .catch(function () {
        report(false, null);
      })
      .then(function () {
        saving = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1000);
  }

  form.addEventListener("change", later);
  form.addEventListener("input", later);
  // The buttons post the whole form themselves.
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
  });
})();
