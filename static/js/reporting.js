/* Reporting pages: small progressive enhancements. Every action also works without this file. */
(function () {
  "use strict";

  // A period selector shows its period as soon as it changes (the 查看 button stays for keyboards).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.requestSubmit(); }
    });
  });

  // Folded parts (我的任务's milestones and filters) start open on screens wider than a phone.
  if (window.matchMedia("(min-width: 768px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }

  // The report form asks for the reason of a drop as soon as the percent typed is lower than
  // the last submitted one (the server asks again when submitting).
  function showDropReason(typed) {
    var box = document.getElementById("drop-reason");
    var input = document.getElementById("id_percent");
    if (!box || !input) { return; }
    var value = input.value === "" ? NaN : Number(input.value);
    var lower = value < Number(box.dataset.previous);
    // as the page comes, a refused reason stays in view; once a percent is typed, it decides
    box.hidden = !lower && (typed || !box.querySelector(".is-invalid"));
  }
  document.addEventListener("input", function (event) {
    if (event.target.id === "id_percent") { showDropReason(true); }
  });
  document.addEventListener("htmx:afterSwap", function () { showDropReason(false); });
  showDropReason(false);

  // 全选本页 in the review queue.
  document.querySelectorAll("[data-pick-all-box]").forEach(function (box) { box.hidden = false; });
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-pick-all]");
    if (!all) { return; }
    document.querySelectorAll('input[name="reports"][form="bulk-form"]').forEach(function (input) {
      input.checked = all.checked;
    });
  });

  // The report form: refuse a file over the limit before sending anything (the server checks
  // too), and warn before leaving the page with unsaved text.
  var dirty = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var limit = Number(form.dataset && form.dataset.maxBytes);
    if (!limit) { return; }
    var input = form.querySelector('input[type="file"]');
    var file = input && input.files && input.files[0];
    if (file && file.size > limit) {
      event.preventDefault();
      event.stopPropagation();
      var box = document.getElementById("upload-feedback");
      if (box) {
        var alert = document.createElement("div");
        alert.className = "alert alert-danger py-2 mb-2";
        alert.setAttribute("role", "alert");
        alert.textContent = form.dataset.tooLarge.replace("{name}", file.name);
        box.replaceChildren(alert);
      }
      input.focus();
      return;
    }
    dirty = false;
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target.closest("#report-form")) { dirty = true; }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    // A saved form comes back clean; a refused one (4xx) still holds unsaved text.
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 200;
    dirty = status >= 400;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
