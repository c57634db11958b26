// The status page's interview times: until the applicant has chosen a time zone, preselect
// their browser's in the picker (they still confirm it with the button, so the page works the
// same without JavaScript, only showing UTC until they choose).
(function () {
  "use strict";
  var select = document.getElementById("interview-time-zone");
  if (!select || select.dataset.chosen === "yes" || !window.Intl) {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.selectedIndex = i;
      return;
    }
  }
})();
