// The application form: after a failed submission, the error summary takes the focus (a
// screen reader announces it, a keyboard starts from it), and each of its links moves the
// focus into its field, with the field's label in view, not only the page's scroll.
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var holder = field.closest(".mb-3, fieldset") || field;
    holder.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
    history.replaceState(null, "", link.getAttribute("href"));
  });
})();
