// The review form's live preview: while the reviewer types the explanation, ask the server for the same sanitised
// preview the Preview button shows, and put it in place. Without this script, the button does the same on click.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  var preview = document.getElementById("explanation-preview");
  if (!form || !preview || !window.fetch || !window.DOMParser) {
    return;
  }
  var explanation = form.elements.namedItem("explanation");
  var waiting = null;
  var latest = 0;

  function showPreview() {
    var body = new FormData(form);
    var asked = ++latest;
    body.set("preview", "1");
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (answer) {
        return answer.ok ? answer.text() : null;
      })
      .then(function (html) {
        if (html === null || asked !== latest) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("explanation-preview");
        if (fresh) {
          preview.replaceChildren.apply(preview, Array.from(fresh.childNodes).map(function (node) {
            return document.importNode(node, true);
          }));
        }
      })
      .catch(function () {
        // The Preview button still works; a failed live preview only waits for the next keystroke.
      });
  }

  explanation.addEventListener("input", function () {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(showPreview, 600);
  });
  // After a reload (a source added or moved) the saved explanation is there: show its preview at once.
  if (explanation.value.trim()) {
    showPreview();
  }
})();
