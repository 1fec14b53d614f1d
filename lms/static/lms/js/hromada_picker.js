/* The hromada list of the registration and profile forms follows the oblast.
   A progressive enhancement of lms/accounts/place_fields.html: without
   JavaScript the «Show the oblast's hromadas» button sends the form back and
   the server lists the oblast's hromadas. Here the list is fetched as soon as
   the oblast changes (one small JSON answer per oblast, kept for the page's
   life), the button is hidden, and a filter box keeps the hromadas whose name
   or district contains what is typed; the chosen hromada always stays.
   The picker carries: data-url, data-loading-text, data-loaded-text and
   data-found-text (with "%(count)s"), data-empty-text, data-error-text. */
(function () {
  "use strict";

  var picker = document.querySelector("[data-hromada-picker]");
  var oblast = document.getElementById("id_oblast");
  var hromada = document.getElementById("id_hromada");
  if (!picker || !oblast || !hromada || !window.fetch) {
    return;
  }
  var filterField = picker.querySelector("[data-hromada-filter]");
  var filter = document.getElementById("id_hromada_filter");
  var showField = picker.querySelector("[data-hromada-show]");
  var status = picker.querySelector("[data-hromada-status]");
  var emptyOption = hromada.querySelector("option[value='']");
  var lists = {};
  var announce = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function text(name, count) {
    return picker.getAttribute(name).replace("%(count)s", count);
  }

  function fold(value) {
    return (value || "")
      .toLowerCase()
      .replace(/['\u02bc`\u00b4\u2018]/g, "\u2019")
      .replace(/\s+/g, " ")
      .trim();
  }

  // The groups as the server rendered them: [{district, hromadas: [[id, label]]}].
  function readGroups() {
    var groups = [];
    Array.prototype.forEach.call(hromada.children, function (child) {
      if (child.tagName === "OPTGROUP") {
        groups.push({
          district: child.label,
          hromadas: Array.prototype.map.call(child.children, function (option) {
            return [option.value, option.text];
          })
        });
      } else if (child.value) {
        groups.push({ district: "", hromadas: [[child.value, child.text]] });
      }
    });
    return groups;
  }

  // Fills the list with the groups' hromadas that match the query (and the
  // chosen one); returns how many match.
  function render(groups, query) {
    var chosen = hromada.value;
    var wanted = fold(query);
    var count = 0;
    hromada.textContent = "";
    if (emptyOption) {
      hromada.appendChild(emptyOption);
    }
    groups.forEach(function (group) {
      var inDistrict = wanted && fold(group.district).indexOf(wanted) !== -1;
      var parent = hromada;
      group.hromadas.forEach(function (item) {
        var value = String(item[0]);
        var matches = !wanted || inDistrict || fold(item[1]).indexOf(wanted) !== -1;
        if (!matches && value !== chosen) {
          return;
        }
        if (matches) {
          count += 1;
        }
        if (group.district && parent === hromada) {
          parent = document.createElement("optgroup");
          parent.label = group.district;
          hromada.appendChild(parent);
        }
        var option = new Option(item[1], value, false, value === chosen);
        parent.appendChild(option);
      });
    });
    if (hromada.value !== chosen) {
      hromada.value = "";
    }
    return count;
  }

  function show(oblastId, groups) {
    window.clearTimeout(announce);
    hromada.setAttribute("data-oblast-id", oblastId);
    filter.value = "";
    var count = render(groups, "");
    if (oblastId) {
      say(count ? text("data-loaded-text", count) : picker.getAttribute("data-empty-text"));
    }
  }

  function load(oblastId) {
    if (!oblastId) {
      show("", []);
      return;
    }
    if (lists[oblastId]) {
      show(oblastId, lists[oblastId]);
      return;
    }
    say(picker.getAttribute("data-loading-text"));
    var url = picker.getAttribute("data-url") + "?oblast=" + encodeURIComponent(oblastId);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        lists[oblastId] = data.groups;
        if (oblast.value === oblastId) {
          show(oblastId, data.groups);
        }
      })
      .catch(function () {
        say(picker.getAttribute("data-error-text"));
        showField.hidden = false;
      });
  }

  lists[hromada.getAttribute("data-oblast-id") || ""] = readGroups();
  showField.hidden = true;
  filterField.hidden = false;
  if (oblast.value !== (hromada.getAttribute("data-oblast-id") || "")) {
    // The browser restored another oblast than the page was made for.
    load(oblast.value);
  }

  oblast.addEventListener("change", function () {
    load(oblast.value);
  });

  filter.addEventListener("input", function () {
    var groups = lists[hromada.getAttribute("data-oblast-id") || ""] || [];
    var count = render(groups, filter.value);
    window.clearTimeout(announce);
    announce = window.setTimeout(function () {
      say(text("data-found-text", count));
    }, 400);
  });

  // Enter in the filter box moves to the list (choosing the only match)
  // instead of sending the form.
  filter.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") {
      return;
    }
    event.preventDefault();
    var options = hromada.querySelectorAll("option:not([value=''])");
    if (options.length === 1) {
      hromada.value = options[0].value;
    }
    hromada.focus();
  });
})();
