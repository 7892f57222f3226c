/* Small behaviours of every page, wired by data attributes (the Content Security Policy allows
   no inline scripts or on* handlers):
   - data-autosubmit on a <select>: its form is sent when the choice changes (the period pickers);
   - data-print on a button: prints the page (the 督办单's print view);
   - data-select-on-focus on an input: selects its text when focused;
   - data-copy="<id>" on a button: copies that input's value and says 已复制. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var el = event.target instanceof Element ? event.target.closest("[data-print],[data-copy]") : null;
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      window.print();
      return;
    }
    var source = document.getElementById(el.getAttribute("data-copy"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.value).then(function () { el.textContent = "已复制"; });
    } else if (source) {
      source.select();
    }
  });
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el instanceof HTMLInputElement && el.hasAttribute("data-select-on-focus")) el.select();
  });
})();
