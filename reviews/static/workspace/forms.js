// A double click on a workspace button sends its form once. The second submit is cancelled rather than the button
// disabled: a disabled button would drop its own name and value (the review form's buttons say which action to run).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "yes";
  });
  // A page restored by the Back button may be submitted again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
    });
  });
})();
