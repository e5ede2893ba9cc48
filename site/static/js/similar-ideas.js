// Suggest published ideas like the title being typed. Without JavaScript the
// "Check for similar ideas" button does the same with a normal form post.
(function () {
  "use strict";
  var box = document.querySelector("[data-similar-url]");
  if (!box || !window.fetch) return;
  document.documentElement.classList.add("js");
  var input = document.getElementById(box.getAttribute("data-similar-for"));
  var target = document.getElementById("similar-ideas");
  var url = box.getAttribute("data-similar-url");
  var timer = null;
  var last = "";
  function lookUp() {
    var title = input.value.trim();
    if (title === last) return;
    last = title;
    if (title.length < 3) { target.innerHTML = ""; return; }
    fetch(url + "?title=" + encodeURIComponent(title), { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (input.value.trim() === title) target.innerHTML = html; })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  });
})();
