// The quote picker: select words in the report's text, then press the button to put them in the quote field.
// Without this script the button stays hidden and the journalist pastes the quote; the server checks it either way.
(function () {
  "use strict";

  var source = document.querySelector("[data-quote-source]");
  var button = document.querySelector("[data-quote-pick]");
  var field = button && document.getElementById(button.getAttribute("data-quote-pick"));
  var status = document.querySelector("[data-quote-status]");
  if (!source || !button || !field) {
    return;
  }
  var picked = "";

  function selectionInSource() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) {
      return "";
    }
    if (!source.contains(selection.anchorNode) || !source.contains(selection.focusNode)) {
      return "";
    }
    return selection.toString().trim();
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  // Pressing the button may move the selection (a touch, a keyboard focus), so the last one in the text is kept.
  document.addEventListener("selectionchange", function () {
    var words = selectionInSource();
    if (words) {
      picked = words;
    }
  });

  button.addEventListener("click", function () {
    var words = selectionInSource() || picked;
    if (!words) {
      say("First select the words in the report's text.");
      return;
    }
    field.value = words;
    field.focus();
    say("The quote now holds the words you selected.");
  });

  button.hidden = false;
  document.querySelectorAll(".with-script").forEach(function (hint) {
    hint.hidden = false;
  });
})();
