// The entry page: a live character counter against each text limit, counted as the notice does
// (characters without spaces and line breaks).
(function () {
  "use strict";
  const count = (s) => Array.from(s).filter((ch) => !/\s/.test(ch)).length;
  function update(c) {
    const input = document.getElementById(c.dataset.for);
    if (!input) return;
    const n = count(input.value), lim = parseInt(c.dataset.limit, 10);
    c.textContent = n + " / " + lim + " 字" + (n > lim ? "，超出 " + (n - lim) + " 字" : "");
    c.classList.toggle("over", n > lim);
  }
  function init() {
    document.querySelectorAll(".counter[data-for]").forEach((c) => {
      const input = document.getElementById(c.dataset.for);
      if (!input) return;
      input.addEventListener("input", () => update(c));
      update(c);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
