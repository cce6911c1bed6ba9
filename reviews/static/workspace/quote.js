// The quote picker: select words in the report's text, then press the button to put them in the quote field.
// Without this script the button stays hidden and the journalist pastes the quote; the server checks it either way.
// The button also fills a hidden field with where the selection starts in the report's text (in characters, as the
// server counts them), so that of words standing in the text twice the selected ones are quoted.
(function () {
  "use strict";

  var source = document.querySelector("[data-quote-source]");
  var button = document.querySelector("[data-quote-pick]");
  var field = button && document.getElementById(button.getAttribute("data-quote-pick"));
  var offsetField = button && document.getElementById(button.getAttribute("data-quote-offset"));
  var status = document.querySelector("[data-quote-status]");
  if (!source || !button || !field) {
    return;
  }
  var picked = null;

  // Characters as the server counts them (code points): an emoji is one, not the two UTF-16 units of JavaScript.
  function characters(text) {
    return Array.from(text).length;
  }

  // Where the range starts in the report's text: what the page shows before it, less what it adds to the text
  // (the "Already fact-checked" flags, marked data-quote-skip).
  function offsetOf(range) {
    var before = document.createRange();
    before.setStart(source, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var shown = before.cloneContents();
    shown.querySelectorAll("[data-quote-skip]").forEach(function (added) {
      added.remove();
    });
    return characters(shown.textContent);
  }

  function selectionInSource() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return null;
    }
    if (!source.contains(selection.anchorNode) || !source.contains(selection.focusNode)) {
      return null;
    }
    var text = selection.toString();
    var words = text.trim();
    if (!words) {
      return null;
    }
    var leading = text.slice(0, text.length - text.trimStart().length);
    return { words: words, start: offsetOf(selection.getRangeAt(0)) + characters(leading) };
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  // Pressing the button may move the selection (a touch, a keyboard focus), so the last one in the text is kept.
  document.addEventListener("selectionchange", function () {
    var selected = selectionInSource();
    if (selected) {
      picked = selected;
    }
  });

  button.addEventListener("click", function () {
    var selected = selectionInSource() || picked;
    if (!selected) {
      say("First select the words in the report's text.");
      return;
    }
    field.value = selected.words;
    if (offsetField) {
      offsetField.value = String(selected.start);
    }
    field.focus();
    say("The quote now holds the words you selected.");
  });

  // Words typed into the quote are the journalist's own: the place of an earlier selection no longer applies.
  field.addEventListener("input", function () {
    if (offsetField) {
      offsetField.value = "";
    }
  });

  button.hidden = false;
  document.querySelectorAll(".with-script").forEach(function (hint) {
    hint.hidden = false;
  });
})();
