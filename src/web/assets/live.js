// Live checks: a form marked data-live posts itself with check=1 half a
// second after typing stops; the server checks and saves nothing, and the
// element its answer has under the data-live selector replaces this
// page's. Without script the form's 「检查」 button does the same.
(function () {
  "use strict";
  function check(form) {
    var sel = form.getAttribute("data-live");
    var data = new URLSearchParams(new FormData(form));
    data.set("check", "1");
    fetch(form.getAttribute("data-live-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin"
    })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(sel);
        var here = document.querySelector(sel);
        if (fresh && here) { here.replaceWith(fresh); }
      })
      .catch(function () { /* offline: the button still checks */ });
  }
  // Listened for on the document: a table row's inputs belong to their
  // row's form by the form= attribute, not by being inside it.
  var timers = new Map();
  document.addEventListener("input", function (e) {
    var form = e.target.form;
    if (!form || !form.hasAttribute("data-live")) { return; }
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { check(form); }, 500));
  });
})();
